// DEF013 whitespace-style: Trailing whitespace, mixed tab/space indentation, missing final newline.
import { endOfLine, endOfLineIncludingNewline, rangeOf } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';

export const whitespaceStyle = defineRule({
  check(ctx) {
    const text = ctx.file.text;
    let lineStart = 0;
    while (lineStart < text.length) {
      const lineEnd = endOfLine(text, lineStart);
      const line = text.slice(lineStart, lineEnd);
      const trailing = /[ \t]+$/.exec(line);
      if (trailing && line.trim() !== '' && !line.slice(0, trailing.index).endsWith('\\')) {
        const start = lineStart + trailing.index;
        ctx.report({
          messageId: 'trailingWhitespace',
          range: rangeOf(ctx.file, start, lineEnd),
          fix: { description: 'Remove trailing whitespace', edits: [{ start, end: lineEnd, text: '' }] },
          tags: ['unnecessary'],
        });
      }
      const indent = /^[ \t]*/.exec(line)![0];
      if (indent.includes(' ') && indent.includes('\t') && line.trim() !== '') {
        ctx.report({ messageId: 'indentationMixesTabsSpaces', range: rangeOf(ctx.file, lineStart, lineStart + indent.length) });
      }
      lineStart = endOfLineIncludingNewline(text, lineStart);
    }
    if (text.length > 0 && !text.endsWith('\n')) {
      ctx.report({
        messageId: 'noNewlineEndFile',
        range: rangeOf(ctx.file, text.length, text.length),
        fix: { description: 'Add a final newline', edits: [{ start: text.length, end: text.length, text: '\n' }] },
      });
    }
  },
  meta: {
    id: 'DEF013',
    slug: 'whitespace-style',
    group: 'syntax',
    defaultSeverity: 'off',
    presets: [],
    summary: 'Trailing whitespace, mixed tab/space indentation, missing final newline.',
    description: [
      "Formatting hygiene, off by default (a formatter's job). Trailing whitespace is left alone after a `\\`, where",
      'removing it would turn an escaped space into a line continuation.',
      '',
      '**Fix:** safe fixes remove trailing whitespace and add the final newline.',
    ].join('\n'),
    bad: 'Bootstrap: docker   \nFrom: alpine:3.19\n\n%post\n \techo hi',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    echo hi\n',
    source: 'style (formatter territory)',
    fixKind: 'safe',
    messages: {
      trailingWhitespace: 'Trailing whitespace',
      indentationMixesTabsSpaces: 'Indentation mixes tabs and spaces',
      noNewlineEndFile: 'No newline at the end of the file',
    },
  },
});
