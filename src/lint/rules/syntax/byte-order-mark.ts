// DEF014 byte-order-mark: The file starts with a UTF-8 byte-order mark.
import { PARSER_MESSAGES, reportParserDiagnostics } from '../../vocab/diagnostics.js';
import { rangeOf } from '../../vocab/text.js';
import { deleteFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { BOM } from '../../vocab/syntax-header.js';

export const byteOrderMark = defineRule({
  check(ctx) {
    const reported = reportParserDiagnostics(ctx, 'DEF014', { extra: () => ({ fix: deleteFix('Remove the byte-order mark', 0, 1) }) });
    if (!ctx.file.text.startsWith(BOM) || reported.has(1)) return;
    ctx.report({
      messageId: 'utf8ByteOrder',
      range: rangeOf(ctx.file, 0, 1),
      fix: deleteFix('Remove the byte-order mark', 0, 1),
    });
  },
  meta: {
    id: 'DEF014',
    slug: 'byte-order-mark',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'The file starts with a UTF-8 byte-order mark.',
    description: [
      'Apptainer does not skip a BOM: it becomes part of the first header line, which then fails as',
      '`invalid header keyword found: \\ufeffbootstrap` or `header key \\ufeff had no val`. Editors on Windows add it',
      'silently.',
      '',
      '**Fix:** save the file as UTF-8 without BOM (safe fix: delete it).',
    ].join('\n'),
    bad: '\ufeffBootstrap: docker\nFrom: alpine:3.19\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n',
    source: 'deffile-format.md §3.1 (verified h20); corpus files with a BOM',
    fixKind: 'safe',
    messages: {
      ...PARSER_MESSAGES,
      utf8ByteOrder: 'UTF-8 byte-order mark at the start of the file: Apptainer reads it as part of the first header key and rejects the file',
    },
  },
});
