// DEF021 header-continuation: A `\\` continuation in the header drops a key or swallows the next header line.
import { isValidHeaderKey } from '../../vocab/header.js';
import { endOfLine, endOfLineIncludingNewline, q, rangeOf } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';

export const headerContinuation = defineRule({
  create: (ctx) => ({
    headerEntry(entry) {
      if (entry.dropped) {
        ctx.report({
          messageId: 'continuationLastHeaderLine',
          data: { rawKey: q(entry.rawKey) },
          range: entry.range,
        });
        return;
      }
      if (!entry.continued) return;
      // Lines after the first one of a continued entry: a `Key:` line there was swallowed.
      let lineStart = endOfLineIncludingNewline(ctx.file.text, entry.range.start.offset);
      while (lineStart < entry.range.end.offset) {
        const lineEnd = endOfLine(ctx.file.text, lineStart);
        const line = ctx.file.text.slice(lineStart, lineEnd);
        const match = /^(\s*)([A-Za-z][\w]*)\s*:/.exec(line);
        if (match && isValidHeaderKey(match[2].toLowerCase())) {
          const keyStart = lineStart + match[1].length;
          ctx.report({
            messageId: 'lineJoinedIntoValue',
            data: { key: q(match[2] + ':'), rawKey: q(entry.rawKey) },
            range: rangeOf(ctx.file, keyStart, keyStart + match[2].length),
          });
        }
        lineStart = endOfLineIncludingNewline(ctx.file.text, lineStart);
      }
    },
  }),
  meta: {
    id: 'DEF021',
    slug: 'header-continuation',
    group: 'syntax',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'A `\\` continuation in the header drops a key or swallows the next header line.',
    description: [
      'A header value ending in `\\` continues on the next line, with no separator. Two traps:',
      '',
      '* on the **last** header line the pending entry is silently dropped — key included (`From: ubuntu \\` before',
      '  `%post` means no `From` at all);',
      '* at the end of a key line it swallows the next line: `Bootstrap: docker \\` then `From: ubuntu` gives',
      '  `Bootstrap = "docker From: ubuntu"` and no `From`.',
      '',
      '(A continuation followed by a blank or comment line crashes Apptainer: see DEF015.)',
      '',
      '**Fix:** remove the trailing backslash.',
    ].join('\n'),
    bad: 'Bootstrap: docker \\\nFrom: alpine:3.19\n\n%post\n    echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    echo hi\n',
    source: 'AP-PARSER `doHeader`; deffile-format.md §5.2 (verified h03, h06)',
    messages: {
      continuationLastHeaderLine: 'The `\\` continuation on the last header line drops {{ rawKey }} entirely: Apptainer never stores it',
      lineJoinedIntoValue: 'This {{ key }} line is joined into the value of {{ rawKey }} by the `\\` on the line before, so it is not a header entry',
    },
  },
});
