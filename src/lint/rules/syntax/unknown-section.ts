// DEF001 unknown-section: Section name that Apptainer does not know.
import { PARSER_MESSAGES, reportParserDiagnostics } from '../../vocab/diagnostics.js';
import { sectionHeadRange } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { allSections, tabbedSectionLines, cutsByLine, suggestSectionName, unknownSectionMessage } from '../../vocab/syntax-sections.js';

export const unknownSection = defineRule({
  check(ctx) {
    const cuts = cutsByLine(ctx);
    const tabs = tabbedSectionLines(ctx);
    const sectionsByLine = new Map(allSections(ctx).map((section) => [section.lineRange.start.line, section]));
    const claimedElsewhere = (line: number) => tabs.has(line) || cuts.has(line);
    const reported = reportParserDiagnostics(ctx, 'DEF001', {
      skip: (diagnostic) => claimedElsewhere(diagnostic.range.start.line),
      extra: (diagnostic) => {
        const section = sectionsByLine.get(diagnostic.range.start.line);
        if (!section) return {};
        const { messageId, data } = unknownSectionMessage(ctx, section);
        const apptainer = diagnostic.apptainerError ? ` (Apptainer: ${diagnostic.apptainerError})` : '';
        return { messageId, data: { ...data, apptainer }, suggestions: suggestSectionName(ctx, section) };
      },
    });
    for (const section of allSections(ctx)) {
      const line = section.lineRange.start.line;
      if (section.kind !== 'unknown' || reported.has(line) || claimedElsewhere(line)) continue;
      const { messageId, data } = unknownSectionMessage(ctx, section);
      ctx.report({ messageId, data: { ...data, apptainer: '' }, range: sectionHeadRange(ctx.file, section), suggestions: suggestSectionName(ctx, section) });
    }
  },
  meta: {
    id: 'DEF001',
    slug: 'unknown-section',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'Section name that Apptainer does not know.',
    description: [
      'A line whose first word starts with `%` opens a section. Apptainer accepts only `%help %setup %files %labels',
      '%environment %pre %post %runscript %test %startscript %arguments` and the SCIF app sections',
      '`%appinstall %applabels %appfiles %appenv %apptest %apphelp %apprun %appstart`. Anything else (a typo such as',
      '`%enviroment`, `%post:`, `%AppRun`, a lone `%`, or a section line indented after line 1) makes the build fail',
      'with `invalid section(s) specified`, and Apptainer does not say on which line.',
      '',
      '**Fix:** correct the name (the quick fix proposes the nearest valid one) or, if the line is script text,',
      'make sure it does not start with `%`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%enviroment\n    export LC_ALL=C\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%environment\n    export LC_ALL=C\n',
    source: 'AP-PARSER `populateDefinition`; deffile-format.md §7.1, §7.3, §7.5',
    fixKind: 'suggestion',
    messages: {
      ...PARSER_MESSAGES,
      indented:
        'Indented section line: after line 1 a section line must start in column 1, otherwise Apptainer reads a section with an empty name and rejects the file{{ apptainer }}',
      loneSign: 'Lone `%`: Apptainer reads a section with an empty name and rejects the file{{ apptainer }}',
      tabInWord: 'Section word {{ word }} contains a tab: Apptainer cuts the name at the first space only and rejects the file{{ apptainer }}',
      appSectionCase: 'App section word {{ word }} must be lowercase: Apptainer rejects it as an invalid section{{ apptainer }}',
      unknownSection: 'Unknown section {{ word }}: Apptainer rejects the file{{ apptainer }}',
    },
  },
});
