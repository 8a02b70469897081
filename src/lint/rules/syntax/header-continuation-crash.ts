// DEF015 header-continuation-crash: A header `\\` continuation followed by a blank or comment line crashes Apptainer.
import { PARSER_MESSAGES, reportParserDiagnostics } from '../../vocab/diagnostics.js';
import { defineRule } from '../../define-rule.js';
import { firstLineRange } from '../../vocab/syntax-file.js';

export const headerContinuationCrash = defineRule({
  check(ctx) {
    const reported = reportParserDiagnostics(ctx, 'DEF015');
    const result = ctx.file.apptainer;
    if (reported.size === 0 && !result.ok && result.panic && result.error.includes('nil map')) {
      ctx.report({ messageId: 'apptainerCrashesFile', data: { error: result.error }, range: firstLineRange(ctx) });
    }
  },
  meta: {
    id: 'DEF015',
    slug: 'header-continuation-crash',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'A header `\\` continuation followed by a blank or comment line crashes Apptainer.',
    description: [
      'A header value ending in `\\` continues on the next line. If that next line is blank or a comment,',
      "Apptainer's parser writes into a map it never created and **panics** (`assignment to entry in nil map`)",
      'instead of giving an error.',
      '',
      '**Fix:** remove the trailing backslash, or the blank/comment line after it.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19 \\\n\n# base image above\nStage: build\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n# base image above\nStage: build\n',
    source: 'AP-PARSER `doHeader`; deffile-format.md §5.2, §14.1 (verified h01, h02, e02)',
    messages: {
      ...PARSER_MESSAGES,
      apptainerCrashesFile: 'Apptainer crashes on this file: {{ error }}',
    },
  },
});
