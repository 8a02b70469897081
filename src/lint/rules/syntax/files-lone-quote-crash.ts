// DEF016 files-lone-quote-crash: A `%files` line that is a lone `"` crashes Apptainer.
import { PARSER_MESSAGES, reportParserDiagnostics } from '../../vocab/diagnostics.js';
import { defineRule } from '../../define-rule.js';

export const filesLoneQuoteCrash = defineRule({
  check(ctx) {
    reportParserDiagnostics(ctx, 'DEF016');
  },
  meta: {
    id: 'DEF016',
    slug: 'files-lone-quote-crash',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'A `%files` line that is a lone `"` crashes Apptainer.',
    description: [
      'Apptainer splits each `%files` line into quoted or unquoted tokens. A line consisting of a single `"` yields',
      'no token at all, and the parser indexes the first one anyway: it **panics** (`index out of range [0] with',
      'length 0`).',
      '',
      '**Fix:** remove the stray quote (or complete the quoted path).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%files\n    "\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%files\n    "my file.txt" /opt/\n',
    source: 'AP-PARSER `parseTokenSection`; deffile-format.md §9.1 (verified f01)',
    messages: PARSER_MESSAGES,
  },
});
