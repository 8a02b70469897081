// DEF017 app-section-without-name: An `%app*` section line without an app name.
import { PARSER_MESSAGES, reportParserDiagnostics } from '../../vocab/diagnostics.js';
import { defineRule } from '../../define-rule.js';

export const appSectionWithoutName = defineRule({
  check(ctx) {
    reportParserDiagnostics(ctx, 'DEF017');
  },
  meta: {
    id: 'DEF017',
    slug: 'app-section-without-name',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'An `%app*` section line without an app name.',
    description: [
      'SCIF app sections need the app name after the word: `%apprun myapp`. Without it Apptainer stops at once',
      'with `app section apprun: could not be split into section name and app name`. (An *empty* name from a',
      'double space is DEF801.)',
      '',
      '**Fix:** add the app name.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%apprun\n    exec echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%apprun hello\n    exec echo hi\n',
    source: 'AP-PARSER `parseTokenSection`; deffile-format.md §11.1',
    messages: PARSER_MESSAGES,
  },
});
