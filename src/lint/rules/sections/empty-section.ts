// DEF217 empty-section: A section with no body.
import { endOfLineIncludingNewline, sectionHeadRange } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';

export const emptySection = defineRule({
  create(ctx) {
    const text = ctx.file.text;
    const parseFailures = new Set(ctx.file.diagnostics.map((diagnostic) => diagnostic.range.start.line));
    return {
      section(section) {
        if (section.kind === 'unknown' || section.body.trim() !== '' || parseFailures.has(section.lineRange.start.line)) return;
        // Script args without a body still change nothing; but `%post -c x` alone is odd, not empty.
        if (section.name !== 'files' && section.args.trim() !== '' && !section.args.trim().startsWith('#')) return;
        const start = section.lineRange.start.offset;
        const lastLine = section.bodyLines[section.bodyLines.length - 1];
        const end = endOfLineIncludingNewline(text, lastLine ? lastLine.offset : start);
        ctx.report({
          messageId: 'emptySection',
          data: { section: section.app === undefined ? `%${section.name}` : `%${section.name} ${section.app}` },
          range: sectionHeadRange(ctx.file, section),
          tags: ['unnecessary'],
          fix: { description: 'Delete the empty section', edits: [{ start, end, text: '' }] },
        });
      },
    };
  },
  meta: {
    id: 'DEF217',
    slug: 'empty-section',
    group: 'sections',
    scope: 'section',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'A section with no body.',
    description: [
      'A section header with nothing under it does nothing (and a `%files from x` with no lines copies nothing).',
      'Usually a leftover from a template.',
      '',
      '**Fix:** delete it (safe fix), or fill it in.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%environment\n\n%post\n    echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    echo hi\n',
    source: 'AP-PARSER (empty scripts are ignored)',
    fixKind: 'safe',
    messages: {
      emptySection: 'Empty {{ section }} section',
    },
  },
});
