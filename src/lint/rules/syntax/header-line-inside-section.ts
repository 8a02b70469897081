// DEF005 header-line-inside-section: A header line (`From:`, `Stage:`, ...) placed after the first section is section text.
import type { Fix } from '../../types.js';
import { endOfLineIncludingNewline, q, rangeOf } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { HEADER_LOOKING_KEYS, DATA_SECTIONS } from '../../vocab/syntax-sections.js';

export const headerLineInsideSection = defineRule({
  create: (ctx) => ({
    section(section, stage) {
      if (stage.empty || section.kind === 'unknown' || !DATA_SECTIONS.has(section.name)) return;
      const header = stage.header ?? [];
      const lastHeaderEntry = header[header.length - 1];
      for (const line of section.bodyLines) {
        const match = /^(\s*)([A-Za-z]+)\s*:/.exec(line.text);
        if (!match || !HEADER_LOOKING_KEYS.has(match[2].toLowerCase())) continue;
        const keyStart = line.offset + match[1].length;
        const suggestions: Fix[] = [];
        if (lastHeaderEntry) {
          const insertAt = endOfLineIncludingNewline(ctx.file.text, lastHeaderEntry.range.end.offset);
          const lineEnd = endOfLineIncludingNewline(ctx.file.text, line.offset);
          const moved = line.text.trim();
          suggestions.push({
            description: `Move ${q(match[2] + ':')} into the header`,
            edits: [
              { start: insertAt, end: insertAt, text: `${moved}\n` },
              { start: line.offset, end: lineEnd, text: '' },
            ],
          });
        }
        ctx.report({
          messageId: 'lineNotHeaderEntry',
          data: { key: q(match[2] + ':'), section: section.name },
          range: rangeOf(ctx.file, keyStart, keyStart + match[0].length - match[1].length),
          suggestions,
        });
      }
    },
  }),
  meta: {
    id: 'DEF005',
    slug: 'header-line-inside-section',
    group: 'syntax',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'A header line (`From:`, `Stage:`, ...) placed after the first section is section text.',
    description: [
      'The header ends at the first section line. A `From:` or `Stage:` line written further down is just a line of',
      'the section it falls into: in `%labels` it becomes a label named `From:`, in `%environment` a shell command',
      'that fails at run time, in `%files` a bogus copy.',
      '',
      '**Fix:** move the line up into the header (the quick fix does it).',
    ].join('\n'),
    bad: 'Bootstrap: docker\n\n%labels\n    From: alpine:3.19\n    Author me\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    Author me\n',
    source: 'AP-PARSER; deffile-format.md §3.3, §5',
    fixKind: 'suggestion',
    messages: {
      lineNotHeaderEntry: '{{ key }} is a line of %{{ section }}, not a header entry: the header ends at the first section',
    },
  },
});
