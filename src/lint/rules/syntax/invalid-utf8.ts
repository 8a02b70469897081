// DEF020 invalid-utf8: Bytes that are not valid UTF-8.
import { PARSER_MESSAGES, reportParserDiagnostics } from '../../vocab/diagnostics.js';
import { rangeOf } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';

export const invalidUtf8 = defineRule({
  check(ctx) {
    const reported = reportParserDiagnostics(ctx, 'DEF020');
    const text = ctx.file.text;
    // U+FFFD is what a decoder leaves for invalid bytes; a lone surrogate cannot be encoded at all.
    const bad = /\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
    for (const match of text.matchAll(bad)) {
      const offset = match.index!;
      const position = ctx.file.positionAt(offset);
      if (reported.has(position.line)) continue;
      reported.add(position.line);
      ctx.report({
        messageId: 'characterNotValidUtf',
        range: rangeOf(ctx.file, offset, offset + 1),
      });
    }
  },
  meta: {
    id: 'DEF020',
    slug: 'invalid-utf8',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'Bytes that are not valid UTF-8.',
    description: [
      'Definition files are read as UTF-8. Invalid byte sequences (a file saved as Latin-1, binary garbage) are',
      'replaced when the file is decoded, so what Apptainer sees differs from what the editor shows.',
      '',
      '**Fix:** save the file as UTF-8.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    Author Jos\ud800\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    Author Jos\u00e9\n',
    source: 'deffile-format.md §17 (encodings); parser',
    messages: {
      ...PARSER_MESSAGES,
      characterNotValidUtf: 'Character that is not valid UTF-8 (a decoding replacement character or a lone surrogate)',
    },
  },
});
