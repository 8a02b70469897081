// DEF018 first-section-empty-body: A file that starts with a section line whose body is empty.
import { PARSER_MESSAGES, reportParserDiagnostics } from '../../vocab/diagnostics.js';
import { defineRule } from '../../define-rule.js';

export const firstSectionEmptyBody = defineRule({
  check(ctx) {
    reportParserDiagnostics(ctx, 'DEF018');
  },
  meta: {
    id: 'DEF018',
    slug: 'first-section-empty-body',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'A file that starts with a section line whose body is empty.',
    description: [
      'When line 1 is a section line, Apptainer trims the first token as a whole; an empty body leaves no newline to',
      'split on and the parse fails with `section %post: could not be split into section name and body`.',
      '',
      '**Fix:** start the file with its header, or remove the empty section.',
    ].join('\n'),
    bad: '%post\n\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n',
    source: 'AP-PARSER `doSections`; deffile-format.md §3.4 (verified s12, s13)',
    messages: PARSER_MESSAGES,
  },
});
