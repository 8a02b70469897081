// DEF903 argument-unused: `%arguments` key that no placeholder of the stage uses.
import { endOfLineIncludingNewline, q, startOfLine } from '../../vocab/text.js';
import { deleteFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { argumentEntries, activePlaceholders } from '../../vocab/templating-templates.js';

export const argumentUnused = defineRule({
  create: (ctx) => ({
    stage(stage) {
      const used = new Set(activePlaceholders(stage).map((placeholder) => placeholder.name));
      const seen = new Set<string>();
      for (const entry of argumentEntries(stage)) {
        if (entry.problem || used.has(entry.key) || seen.has(entry.key)) continue;
        seen.add(entry.key);
        const start = startOfLine(ctx.file.text, entry.range.start.offset);
        ctx.report({
          messageId: 'argumentNeverUsedPlaceholder',
          data: { key: q(entry.key), placeholder: `{{ ${entry.key} }}` },
          range: entry.range,
          tags: ['unnecessary'],
          fix: deleteFix(`Delete the unused argument ${entry.key}`, start, endOfLineIncludingNewline(ctx.file.text, entry.range.start.offset)),
        });
      }
    },
  }),
  meta: {
    id: 'DEF903',
    slug: 'argument-unused',
    group: 'templating',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`%arguments` key that no placeholder of the stage uses.',
    description: [
      'A default that nothing references does nothing (placeholders after a `#` on their line do not count: Apptainer',
      'skips them). Often a typo in the key or in the placeholder.',
      '',
      '**Fix:** delete the line (safe fix) or use it.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%arguments\n    VERSION=1.0\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%arguments\n    VERSION=1.0\n\n%post\n    echo {{ VERSION }}\n',
    source: 'AP-ARGS; AP-BUILD `build_linux.go`',
    fixKind: 'safe',
    messages: {
      argumentNeverUsedPlaceholder: 'Argument {{ key }} is never used by a {{ placeholder }} placeholder in this stage',
    },
  },
});
