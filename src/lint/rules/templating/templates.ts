// Templating rules (DEF901–DEF908): `{{ NAME }}` placeholders and `%arguments` defaults.
import type { ArgumentEntry, Placeholder, Section, Stage } from '../../../parse/model.js';
import type { Fix, Rule, RuleContext } from '../../types.js';
import { isInHeader, liveStages, sectionAt } from '../util/sections.js';
import { deleteFix, endOfLine, endOfLineIncludingNewline, q, rangeOf, replaceFix, startOfLine } from '../util/text.js';
import { defineRule } from '../../define-rule.js';

function argumentsSection(stage: Stage): Section | undefined {
  return stage.sections.find((section) => section.kind === 'standard' && section.name === 'arguments');
}

function argumentEntries(stage: Stage): ArgumentEntry[] {
  return stage.sections.filter((section) => section.kind === 'standard' && section.name === 'arguments').flatMap((section) => section.arguments ?? []);
}

/** A fix that adds `NAME=value` to the stage's `%arguments` (creating the section if needed). */
function addDefault(ctx: RuleContext, stage: Stage, name: string, value: string, description: string): Fix | undefined {
  const text = ctx.file.text;
  const section = argumentsSection(stage);
  if (section) {
    const at = endOfLineIncludingNewline(text, section.lineRange.start.offset);
    const indent = section.bodyLines.find((line) => line.text.trim() !== '')?.text.match(/^[ \t]*/)?.[0] ?? '    ';
    const prefix = at === text.length && !text.endsWith('\n') ? '\n' : '';
    return { description, edits: [{ start: at, end: at, text: `${prefix}${indent}${name}=${value}\n` }] };
  }
  const first = stage.sections[0];
  if (first) {
    const at = first.lineRange.start.offset;
    return { description, edits: [{ start: at, end: at, text: `%arguments\n    ${name}=${value}\n\n` }] };
  }
  if (!stage.header) return undefined;
  const at = stage.range.end.offset;
  const prefix = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
  return { description, edits: [{ start: at, end: at, text: `${prefix}\n%arguments\n    ${name}=${value}\n` }] };
}

/** Stages (other than this one) whose `%arguments` define the name. */
function definedElsewhere(stages: Stage[], stage: Stage, name: string): Stage | undefined {
  return stages.find((other) => other !== stage && Object.hasOwn(other.argumentDefaults, name));
}

function activePlaceholders(stage: Stage): Placeholder[] {
  return stage.placeholders.filter((placeholder) => !placeholder.skipped);
}

export const templateVarUndefined = defineRule({
  meta: {
    id: 'DEF901',
    slug: 'template-var-undefined',
    group: 'templating',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`{{ NAME }}` with no default in this stage\'s `%arguments`.',
    description: [
      '`apptainer build` replaces `{{ NAME }}` with the `--build-arg` value or, failing that, the default from the',
      'same stage\'s `%arguments`. Without either the build stops: `build var NAME is not defined through either',
      '--build-arg (--build-arg-file) or \'arguments\' section`. Build args given to the linter (`--build-arg`,',
      '`buildArgs` in the config) count as defined. (Defined only in another stage: DEF902.)',
      '',
      '**Fix:** add `NAME=default` to `%arguments` (quick fix), or always build with `--build-arg NAME=...`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:{{ UBUNTU_VERSION }}\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:{{ UBUNTU_VERSION }}\n\n%arguments\n    UBUNTU_VERSION=24.04\n',
    source: 'AP-ARGS `reader.go`; AP-DEF (templating); deffile-format.md §13.4',
    fixKind: 'suggestion',
  },
  check(ctx) {
    const stages = liveStages(ctx.file);
    for (const stage of stages) {
      for (const placeholder of activePlaceholders(stage)) {
        if (ctx.templateValue(stage, placeholder.name) !== undefined || definedElsewhere(stages, stage, placeholder.name)) continue;
        const fix = addDefault(ctx, stage, placeholder.name, '', `Add ${placeholder.name}= to %arguments`);
        ctx.report({
          message: `${q(placeholder.name)} has no value: the build fails unless --build-arg ${placeholder.name}=... is given (no default in this stage's %arguments)`,
          range: placeholder.range,
          suggestions: fix ? [fix] : [],
        });
      }
    }
  },
});

export const templateVarOtherStage = defineRule({
  meta: {
    id: 'DEF902',
    slug: 'template-var-other-stage',
    group: 'templating',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`{{ NAME }}` whose default is only in another stage\'s `%arguments`.',
    description: [
      '`%arguments` defaults apply only to their own stage (`--build-arg` applies to all). A placeholder in one stage',
      'with the default in another stage is undefined and the build fails.',
      '',
      '**Fix:** repeat the default in this stage\'s `%arguments` (quick fix), or pass `--build-arg`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:{{ TAG }}\nStage: build\n\n%arguments\n    TAG=3.19\n\nBootstrap: docker\nFrom: alpine:{{ TAG }}\n',
    good: 'Bootstrap: docker\nFrom: alpine:{{ TAG }}\nStage: build\n\n%arguments\n    TAG=3.19\n\nBootstrap: docker\nFrom: alpine:{{ TAG }}\n\n%arguments\n    TAG=3.19\n',
    source: 'AP-BUILD `MakeAllDefs`; deffile-format.md §12, §13.4',
    fixKind: 'suggestion',
  },
  check(ctx) {
    const stages = liveStages(ctx.file);
    for (const stage of stages) {
      for (const placeholder of activePlaceholders(stage)) {
        if (ctx.templateValue(stage, placeholder.name) !== undefined) continue;
        const other = definedElsewhere(stages, stage, placeholder.name);
        if (!other) continue;
        const value = other.argumentDefaults[placeholder.name];
        const fix = addDefault(ctx, stage, placeholder.name, value, `Copy ${placeholder.name}=${value} into this stage's %arguments`);
        ctx.report({
          message: `${q(placeholder.name)} is defined only in another stage's %arguments (stage ${other.index + 1}); defaults are per stage, so the build fails here`,
          range: placeholder.range,
          suggestions: fix ? [fix] : [],
        });
      }
    }
  },
});

export const argumentUnused = defineRule({
  meta: {
    id: 'DEF903',
    slug: 'argument-unused',
    group: 'templating',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`%arguments` key that no placeholder of the stage uses.',
    description: [
      'A default that nothing references does nothing (placeholders after a `#` on their line do not count: Apptainer',
      'skips them). Often a typo in the key or in the placeholder.',
      '',
      '**Fix:** delete the line (safe fix) or use it.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%arguments\n    VERSION=1.0\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%arguments\n    VERSION=1.0\n\n%post\n    echo {{ VERSION }}\n',
    source: 'AP-ARGS; AP-BUILD `build_linux.go`',
    fixKind: 'safe',
  },
  check(ctx) {
    const text = ctx.file.text;
    for (const stage of liveStages(ctx.file)) {
      const used = new Set(activePlaceholders(stage).map((placeholder) => placeholder.name));
      const seen = new Set<string>();
      for (const entry of argumentEntries(stage)) {
        if (entry.problem || used.has(entry.key) || seen.has(entry.key)) continue;
        seen.add(entry.key);
        const start = startOfLine(text, entry.range.start.offset);
        ctx.report({
          message: `Argument ${q(entry.key)} is never used by a {{ ${entry.key} }} placeholder in this stage`,
          range: entry.range,
          tags: ['unnecessary'],
          fix: deleteFix(`Delete the unused argument ${entry.key}`, start, endOfLineIncludingNewline(text, entry.range.start.offset)),
        });
      }
    }
  },
});

export const argumentMalformed = defineRule({
  meta: {
    id: 'DEF904',
    slug: 'argument-malformed',
    group: 'templating',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`%arguments` line that is not `key=value`.',
    description: [
      'Each `%arguments` line must be `KEY=value` with a non-empty key. Other lines (`KEY value`, `=x`, `KEY: v`) are',
      'skipped with only a warning during the build, so the default silently does not exist.',
      '',
      '**Fix:** write `KEY=value`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:{{ TAG }}\n\n%arguments\n    TAG 3.19\n',
    good: 'Bootstrap: docker\nFrom: alpine:{{ TAG }}\n\n%arguments\n    TAG=3.19\n',
    source: 'AP-ARGS `getKeyVal`; deffile-format.md §13.5',
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      for (const entry of argumentEntries(stage)) {
        if (!entry.problem) continue;
        ctx.report({ message: `Skipped by Apptainer: ${entry.problem}`, range: entry.range });
      }
    }
  },
});

export const templateAfterHash = defineRule({
  meta: {
    id: 'DEF905',
    slug: 'template-after-hash',
    group: 'templating',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`{{ NAME }}` after a `#` on the same line is not substituted.',
    description: [
      'Apptainer leaves a placeholder alone when a `#` followed by any character other than `!` appears before it',
      'on its line — in a comment (info: probably intended), but also after a trailing comment, inside a quoted',
      'string or a URL fragment (`echo "#1 {{ X }}"`): then the literal `{{ X }}` reaches the script (warning).',
      '',
      '**Fix:** move the placeholder before the `#`, or build the string without `#` on that line.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%arguments\n    N=4\n\n%post\n    echo "#jobs: {{ N }}" > /etc/jobs\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%arguments\n    N=4\n\n%post\n    echo "jobs: {{ N }}" > /etc/jobs\n',
    source: 'AP-ARGS `reader.go` (`commentLineRegexp`); deffile-format.md §13.3',
  },
  check(ctx) {
    const text = ctx.file.text;
    for (const stage of ctx.file.stages) {
      for (const placeholder of stage.placeholders) {
        if (!placeholder.skipped) continue;
        const lineStart = startOfLine(text, placeholder.range.start.offset);
        const commentLine = text.slice(lineStart, placeholder.range.start.offset).trimStart().startsWith('#');
        ctx.report({
          message: commentLine
            ? `{{ ${placeholder.name} }} is in a comment line: Apptainer does not substitute it`
            : `A \`#\` earlier on this line stops Apptainer from substituting {{ ${placeholder.name} }}: the literal text stays in the file`,
          range: placeholder.range,
          severity: commentLine ? 'info' : undefined,
        });
      }
    }
  },
});

const NON_SHELL_SECTIONS = new Set(['files', 'labels', 'appfiles', 'applabels']);

/** Where a placeholder is used: the header, a section, or nowhere known. */
function usePlace(stage: Stage, placeholder: Placeholder): 'header' | 'non-shell' | 'shell' {
  if (isInHeader(stage, placeholder.range.start.offset)) return 'header';
  const section = sectionAt(stage, placeholder.range.start.offset);
  return section && section.kind !== 'unknown' && NON_SHELL_SECTIONS.has(section.name) ? 'non-shell' : 'shell';
}

export const templateDefaultQuoted = defineRule({
  meta: {
    id: 'DEF906',
    slug: 'template-default-quoted',
    group: 'templating',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Quoted `%arguments` default used in the header, `%files` or `%labels`: the quotes are kept.',
    description: [
      '`%arguments` values are taken verbatim, quotes included. In a shell script that may be what you want, but in',
      '`From:`, `Stage:`, `%files` or `%labels` the quotes end up in the value: `From: "ubuntu:24.04"` fails.',
      '',
      '**Fix:** drop the quotes (safe fix when every use is outside shell scripts).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: {{ BASE }}\n\n%arguments\n    BASE="ubuntu:24.04"\n',
    good: 'Bootstrap: docker\nFrom: {{ BASE }}\n\n%arguments\n    BASE=ubuntu:24.04\n',
    source: 'AP-ARGS (trim, no unquote); deffile-format.md §13.5',
    fixKind: 'safe',
  },
  check(ctx) {
    const text = ctx.file.text;
    for (const stage of liveStages(ctx.file)) {
      const places = new Map<string, Set<string>>();
      for (const placeholder of activePlaceholders(stage)) {
        const set = places.get(placeholder.name) ?? new Set<string>();
        set.add(usePlace(stage, placeholder));
        places.set(placeholder.name, set);
      }
      for (const entry of argumentEntries(stage)) {
        if (entry.problem || !/^(["']).*\1$/s.test(entry.value) || entry.value.length < 2) continue;
        const uses = places.get(entry.key);
        if (!uses || (!uses.has('header') && !uses.has('non-shell'))) continue;
        const lineEnd = endOfLine(text, entry.range.start.offset);
        const equals = text.indexOf('=', entry.range.start.offset);
        const valueStart = text.indexOf(entry.value, equals);
        const range = valueStart === -1 || valueStart > lineEnd ? entry.range : rangeOf(ctx.file, valueStart, valueStart + entry.value.length);
        const unquoted = entry.value.slice(1, -1);
        const strip = replaceFix('Remove the quotes', range.start.offset, range.end.offset, unquoted);
        const where = uses.has('header') ? 'the header' : '%files/%labels';
        ctx.report({
          message: `${q(entry.key)} is used in ${where}, where its quotes are kept literally (${q(entry.value)})`,
          range,
          fix: uses.has('shell') || valueStart === -1 ? undefined : strip,
          suggestions: uses.has('shell') ? [strip] : undefined,
        });
      }
    }
  },
});

const SHELL_VAR_IN_HEADER = /\$\{?[A-Za-z_]\w*\}?/g;
const PERCENT_MACRO = /%\{\w+\}/g;
const MACRO_KEYS = new Set(['mirrorurl', 'updateurl', 'product', 'registerurl']);
/** Keys whose values reach something that could be mistaken for a shell (URLs go to yum/zypper, which expand `$basearch` themselves). */
const NO_SHELL_KEYS = new Set(['bootstrap', 'from', 'stage', 'registry', 'namespace', 'library', 'fingerprints', 'osversion']);

export const templateSyntaxConfusion = defineRule({
  meta: {
    id: 'DEF907',
    slug: 'template-syntax-confusion',
    group: 'templating',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Template-like text Apptainer does not substitute: `${{X}}`, `{{ X }`, `$VAR` or `%{X}` in the header.',
    description: [
      'Only `{{ NAME }}` is templated. `${{ X }}` leaves a stray `$`, unbalanced `{{ X }` stays literal, header',
      'values are never shell-expanded (`From: ubuntu:$TAG` is taken literally), and `%{OSVERSION}` is only',
      'replaced in the yum/zypper mirror URLs.',
      '',
      '**Fix:** use `{{ NAME }}` with a default in `%arguments` (the quick fix rewrites `$NAME`).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:$UBUNTU_TAG\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:{{ UBUNTU_TAG }}\n\n%arguments\n    UBUNTU_TAG=24.04\n',
    source: 'AP-ARGS regex; AP-APPX (`%{OSVERSION}` only in MirrorURL); apptainer/singularity#1188',
    fixKind: 'suggestion',
  },
  check(ctx) {
    const text = ctx.file.text;
    for (const stage of ctx.file.stages) {
      for (const entry of stage.header ?? []) {
        if (!entry.valid || entry.key === 'productpgp') continue;
        const valueStart = entry.valueRange.start.offset;
        const value = text.slice(valueStart, entry.valueRange.end.offset);
        for (const match of NO_SHELL_KEYS.has(entry.key) ? value.matchAll(SHELL_VAR_IN_HEADER) : []) {
          const start = valueStart + match.index!;
          const name = match[0].replace(/[${}]/g, '');
          ctx.report({
            message: `Header values are not shell-expanded: ${q(match[0])} is taken literally; use {{ ${name} }}`,
            range: rangeOf(ctx.file, start, start + match[0].length),
            suggestions: [replaceFix(`Use {{ ${name} }}`, start, start + match[0].length, `{{ ${name} }}`)],
          });
        }
        if (MACRO_KEYS.has(entry.key) || /^otherurl\d+$/.test(entry.key)) continue;
        for (const match of value.matchAll(PERCENT_MACRO)) {
          const start = valueStart + match.index!;
          ctx.report({ message: `${q(match[0])} is only replaced in MirrorURL/UpdateURL of yum/zypper bootstraps: here it stays literal`, range: rangeOf(ctx.file, start, start + match[0].length) });
        }
      }
      const stageText = text.slice(stage.range.start.offset, stage.range.end.offset);
      const patterns: { pattern: RegExp; message: (m: string) => string }[] = [
        { pattern: /\$\{\{[\t\n\f\r ]*\w+[\t\n\f\r ]*\}\}/g, message: (m) => `${q(m)}: Apptainer substitutes the {{ }} part and leaves the \`$\` in front` },
        { pattern: /(?<!\{)\{\{[\t\n\f\r ]*\w+[\t\n\f\r ]*\}(?!\})/g, message: (m) => `Unbalanced ${q(m)}: only \`{{ NAME }}\` is substituted, this stays literal` },
        { pattern: /(?<![{$])\{[\t\n\f\r ]*\w+[\t\n\f\r ]*\}\}(?!\})/g, message: (m) => `Unbalanced ${q(m)}: only \`{{ NAME }}\` is substituted, this stays literal` },
      ];
      for (const { pattern, message } of patterns) {
        for (const match of stageText.matchAll(pattern)) {
          const start = stage.range.start.offset + match.index!;
          ctx.report({ message: message(match[0]), range: rangeOf(ctx.file, start, start + match[0].length) });
        }
      }
    }
  },
});

const INVALID_NAME = /\{\{[\t\n\f\r ]*([A-Za-z_]\w*(?:[-.]\w+)+)[\t\n\f\r ]*\}\}/g;

export const templateNameInvalid = defineRule({
  meta: {
    id: 'DEF908',
    slug: 'template-name-invalid',
    group: 'templating',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: '`{{ my-var }}`: template names are letters, digits and `_` only.',
    description: [
      'A placeholder name must match `\\w+`. `{{ my-var }}` or `{{ a.b }}` is not a placeholder at all: Apptainer',
      'leaves the text as is, without an error, and the literal braces reach the build.',
      '',
      '**Fix:** use `_` instead (the quick fix renames the placeholder; rename the `%arguments` key too).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:{{ alpine-version }}\n',
    good: 'Bootstrap: docker\nFrom: alpine:{{ alpine_version }}\n\n%arguments\n    alpine_version=3.19\n',
    source: 'AP-ARGS regex; deffile-format.md §13.1 (verified t11)',
    fixKind: 'suggestion',
  },
  check(ctx) {
    const text = ctx.file.text;
    for (const match of text.matchAll(INVALID_NAME)) {
      const start = match.index!;
      const nameStart = start + match[0].indexOf(match[1]);
      const fixed = match[1].replace(/[-.]/g, '_');
      ctx.report({
        message: `{{ ${match[1]} }} is not a placeholder (names are letters, digits and _): Apptainer leaves it as literal text`,
        range: rangeOf(ctx.file, start, start + match[0].length),
        suggestions: [replaceFix(`Rename to ${fixed}`, nameStart, nameStart + match[1].length, fixed)],
      });
    }
  },
});

export const templateRules: Rule[] = [
  templateVarUndefined, templateVarOtherStage, argumentUnused, argumentMalformed, templateAfterHash, templateDefaultQuoted, templateSyntaxConfusion, templateNameInvalid,
];
