// DEF003 header-line-without-colon: Header line with no `:`.
import { PARSER_MESSAGES, reportParserDiagnostics } from '../../vocab/diagnostics.js';
import { defineRule } from '../../define-rule.js';
import { causedByBom } from '../../vocab/syntax-header.js';

export const headerLineWithoutColon = defineRule({
  check(ctx) {
    reportParserDiagnostics(ctx, 'DEF003', { skip: (d) => causedByBom(ctx, d.range.start.line, d.range.start.offset) });
  },
  meta: {
    id: 'DEF003',
    slug: 'header-line-without-colon',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'Header line with no `:`.',
    description: [
      'Every non-blank, non-comment line before the first section must be `Key: value`. A line without a colon',
      '(a Dockerfile-style `FROM ubuntu`, a stray word, or `Fr#om: x`, which the `#` cuts to `Fr`) makes Apptainer',
      'reject the file with `header key ... had no val`.',
      '',
      '**Fix:** write `Key: value`, turn the line into a comment with `#`, or move it into a section.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\nRUN apk add bash\n\n%post\n    echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    apk add bash\n',
    source: 'AP-PARSER `doHeader`; deffile-format.md §5.2',
    messages: PARSER_MESSAGES,
  },
});
