// DEF006 empty-definition: The file defines nothing (no header and no sections).
import { PARSER_MESSAGES, reportParserDiagnostics } from '../../vocab/diagnostics.js';
import { defineRule } from '../../define-rule.js';
import { firstLineRange } from '../../vocab/syntax-file.js';

export const emptyDefinition = defineRule({
  check(ctx) {
    // The parser marks the whole file; the first line is a more useful place to point at.
    const reported = reportParserDiagnostics(ctx, 'DEF006', { extra: () => ({ range: firstLineRange(ctx) }) });
    if (reported.size > 0 || ctx.file.apptainer.ok || ctx.file.stages.some((stage) => !stage.empty)) return;
    ctx.report({ messageId: 'emptyDefinitionNoHeader', range: firstLineRange(ctx) });
  },
  meta: {
    id: 'DEF006',
    slug: 'empty-definition',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'The file defines nothing (no header and no sections).',
    description: [
      'A file that is empty, or holds only blank lines and comments, has no stage: Apptainer fails with',
      '`no stages found in definition file`.',
      '',
      '**Fix:** add a header (`Bootstrap:` and `From:`) and the sections you need.',
    ].join('\n'),
    bad: '# nothing here yet\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n',
    source: 'AP-PARSER `All`, `ParseDefinitionFile`; deffile-format.md §7.7',
    messages: {
      ...PARSER_MESSAGES,
      emptyDefinitionNoHeader: 'Empty definition: no header and no sections (Apptainer: no stages found in definition file)',
    },
  },
});
