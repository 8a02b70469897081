// DEF019 token-too-long: A header or section larger than Apptainer's 64 KiB scanner limit.
import { PARSER_MESSAGES, reportParserDiagnostics } from '../../vocab/diagnostics.js';
import { endOfLine, rangeOf, sectionHeadRange } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';

export const tokenTooLong = defineRule({
  check(ctx) {
    // The parser measures tokens exactly as Go's scanner does; report its finding on the section line.
    const sections = ctx.file.stages.flatMap((stage) => stage.sections);
    reportParserDiagnostics(ctx, 'DEF019', {
      extra: (diagnostic) => {
        const section = sections.find((s) => s.lineRange.start.offset === diagnostic.range.start.offset);
        const range = section
          ? sectionHeadRange(ctx.file, section)
          : rangeOf(ctx.file, diagnostic.range.start.offset, endOfLine(ctx.file.text, diagnostic.range.start.offset));
        return { range };
      },
    });
  },
  meta: {
    id: 'DEF019',
    slug: 'token-too-long',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: "A header or section larger than Apptainer's 64 KiB scanner limit.",
    description: [
      "Apptainer reads the file with Go's `bufio.Scanner` and its default 64 KiB token limit: a header, or one",
      'section (plus the next section line), larger than that fails with `bufio.Scanner: token too long`. A huge',
      'inline `%post` or `%help` is the usual cause.',
      '',
      '**Fix:** move big scripts or data into files copied with `%files`, or split the section.',
    ].join('\n'),
    bad: `Bootstrap: docker\nFrom: alpine:3.19\n\n%help\n${'    This line of help text is repeated far too many times.\n'.repeat(1200)}`,
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%help\n    Short help. Details live in /opt/app/README.md.\n',
    source: 'deffile-format.md §3.5 (verified SIZE_LIMIT, z_big_*)',
    messages: PARSER_MESSAGES,
  },
});
