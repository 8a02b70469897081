// DEF213 runscript-drops-args: `%runscript`/`%apprun` ignores its arguments, or splits them with unquoted `$@`.
import { shellDetails } from '../../shell/index.js';
import { specialParameterUses, stageScripts } from '../../vocab/shell-tree.js';
import { q, rangeOf, sectionWordSpan } from '../../vocab/text.js';
import { replaceFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { lastSimpleCommand } from '../../vocab/sections-scripts.js';

export const runscriptDropsArgs = defineRule({
  create: (ctx) => ({
    stage(stage) {
      for (const script of stageScripts(ctx, stage, (section) => section.name === 'runscript' || section.name === 'apprun')) {
        const { section } = script;
        const details = shellDetails(script);
        if (script.commands.length === 0 && details.assignments.length === 0 && details.functions.length === 0) continue;
        const specials = specialParameterUses(script, ctx.file);
        for (const hit of specials) {
          if (hit.quoted || hit.inAssignment || hit.name === '#' || !/^\$(?:[@*]|\{[@*]\})$/.test(hit.text)) continue;
          const start = hit.offset;
          const isAt = hit.name === '@';
          ctx.report({
            messageId: 'unquotedSplitsArgumentsContain',
            data: { hit: q(hit.text) },
            range: rangeOf(ctx.file, start, start + hit.text.length),
            severity: 'warning',
            fix: isAt ? { description: 'Quote "$@"', edits: [{ start, end: start + hit.text.length, text: '"$@"' }] } : undefined,
            suggestions: isAt ? undefined : [replaceFix('Use "$@"', start, start + hit.text.length, '"$@"')],
          });
        }
        const forwards =
          specials.length > 0 ||
          details.variables.some((ref) => /^[1-9]\d*$/.test(ref.name)) ||
          script.commands.some((cmd) => cmd.baseName === 'shift' || cmd.baseName === 'getopts');
        if (forwards) continue;
        const last = lastSimpleCommand(script, ctx.file, true);
        const head = sectionWordSpan(ctx.file, section);
        const end = last?.range.end.offset;
        ctx.report({
          messageId: 'neverUsesArguments',
          data: { section: section.name },
          range: rangeOf(ctx.file, head.percentStart, head.wordEnd),
          suggestions: end !== undefined ? [{ description: 'Pass the arguments to the last command', edits: [{ start: end, end, text: ' "$@"' }] }] : [],
        });
      }
    },
  }),
  meta: {
    id: 'DEF213',
    slug: 'runscript-drops-args',
    group: 'sections',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`%runscript`/`%apprun` ignores its arguments, or splits them with unquoted `$@`.',
    description: [
      '`apptainer run image a b` passes `a b` to the runscript. A runscript that never uses `"$@"` (or `$1`...)',
      'silently drops them (info). Unquoted `$@` or `$*` re-splits arguments that contain spaces (warning).',
      '',
      '**Fix:** end with `exec program "$@"`; quote `"$@"` (safe fix for `$@`).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%runscript\n    exec /opt/tool $@\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%runscript\n    exec /opt/tool "$@"\n',
    source: 'AP-DEF (%runscript), SPY',
    fixKind: 'safe',
    needsShell: true,
    messages: {
      unquotedSplitsArgumentsContain: 'Unquoted {{ hit }} splits arguments that contain spaces: write "$@"',
      neverUsesArguments: '%{{ section }} never uses its arguments ("$@", $1, ...): arguments given to `apptainer run` are dropped',
    },
  },
});
