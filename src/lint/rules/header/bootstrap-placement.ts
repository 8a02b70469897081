// DEF102 bootstrap-placement: `Bootstrap:` not first, indented, or with a space before the colon.
import type { Fix } from '../../types.js';
import { isShellSection, liveStages } from '../../vocab/sections.js';
import { rangeOf, startOfLine } from '../../vocab/text.js';
import { replaceFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { entryLines, isSplitOffHeader } from '../../vocab/header-bootstrap.js';

export const bootstrapPlacement = defineRule({
  create(ctx) {
    const text = ctx.file.text;
    const stages = liveStages(ctx.file);
    const indexOf = new Map(stages.map((stage, index) => [stage, index]));
    return {
      stage(stage) {
        if (isSplitOffHeader(ctx, stage)) {
          const next = stages[indexOf.get(stage)! + 1];
          const bootstrap = (next.header ?? []).find((entry) => entry.key === 'bootstrap');
          const first = stage.header![0];
          const fix: Fix | undefined = bootstrap
            ? (() => {
                const lines = entryLines(ctx, bootstrap);
                const moved = text.slice(lines.start, lines.end);
                const at = startOfLine(text, first.range.start.offset);
                return {
                  description: 'Move the Bootstrap line to the top of the header',
                  edits: [
                    { start: at, end: at, text: moved.endsWith('\n') ? moved : `${moved}\n` },
                    { start: lines.start, end: lines.end, text: '' },
                  ],
                };
              })()
            : undefined;
          ctx.report({
            messageId: 'headerKeysBeforeBootstrap',
            range: first.keyRange,
            severity: 'error',
            fix,
          });
        }
      },
      headerEntry(entry, stage) {
        if (stage.empty || entry.key !== 'bootstrap') return;
        const lineStart = startOfLine(text, entry.range.start.offset);
        const before = text.slice(lineStart, entry.keyRange.end.offset);
        const colon = text.indexOf(':', entry.keyRange.end.offset);
        const gap = text.slice(entry.keyRange.end.offset, colon);
        if (before === entry.rawKey && gap === '') return;
        ctx.report({
          messageId: gap !== '' ? 'bootstrapSpaceBeforeColon' : 'indentedBootstrapDoesNot',
          range: rangeOf(ctx.file, lineStart, colon + 1),
          fix: replaceFix('Write `Bootstrap:` at the start of the line', lineStart, colon + 1, 'Bootstrap:'),
        });
      },
      section(section, stage) {
        if (stage.empty || section.kind === 'unknown' || section.name === 'help' || section.name === 'apphelp' || isShellSection(section)) return;
        for (const line of section.bodyLines) {
          const match = /^(\s+bootstrap\s*:|bootstrap\s+:)/i.exec(line.text);
          if (!match) continue;
          const colon = line.offset + match[0].length;
          ctx.report({
            messageId: 'lineDoesNotStart',
            data: { match: match[0].trim(), section: section.name },
            range: rangeOf(ctx.file, line.offset, colon),
            suggestions: [replaceFix('Write `Bootstrap:` at the start of the line', line.offset, colon, 'Bootstrap:')],
          });
        }
      },
    };
  },
  meta: {
    id: 'DEF102',
    slug: 'bootstrap-placement',
    group: 'header',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`Bootstrap:` not first, indented, or with a space before the colon.',
    description: [
      '`apptainer build` cuts the file into stages right before every line that starts, in column 1, with',
      '`bootstrap:` (any case, colon right after the word). Hence:',
      '',
      '* header keys written **before** `Bootstrap:` become a stage of their own with no bootstrap, and the build',
      '  fails (reported as an error);',
      '* an indented `  Bootstrap:` or a `Bootstrap :` line does not start a stage: in the first header it works',
      '  by luck, but further down the would-be next stage is swallowed into the previous section.',
      '',
      '**Fix:** put `Bootstrap:` first, at the start of the line, with the colon right after it (safe fix).',
    ].join('\n'),
    bad: 'From: alpine:3.19\nBootstrap: docker\n\n%post\n    echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    echo hi\n',
    source: 'AP-DEF (header), AP-PARSER `All`; deffile-format.md §4, §16 items 14, 26',
    fixKind: 'safe',
    messages: {
      headerKeysBeforeBootstrap: 'Header keys before `Bootstrap:` form a separate stage without a bootstrap: the build fails. Put `Bootstrap:` first',
      bootstrapSpaceBeforeColon: '`Bootstrap :` with a space before the colon does not start a stage for `apptainer build`; write `Bootstrap:`',
      indentedBootstrapDoesNot: 'Indented `Bootstrap:` does not start a stage for `apptainer build`; start it in column 1',
      lineDoesNotStart: 'This `{{ match }}` line does not start a new stage (only `Bootstrap:` in column 1 does): it is a line of %{{ section }}',
    },
  },
});
