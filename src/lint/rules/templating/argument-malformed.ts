// DEF904 argument-malformed: `%arguments` line that is not `key=value`.
import { defineRule } from '../../define-rule.js';

export const argumentMalformed = defineRule({
  create: (ctx) => ({
    section(section) {
      if (section.kind !== 'standard' || section.name !== 'arguments') return;
      for (const entry of section.arguments ?? []) {
        if (!entry.problem) continue;
        ctx.report({ messageId: 'skippedApptainer', data: { problem: entry.problem }, range: entry.range });
      }
    },
  }),
  meta: {
    id: 'DEF904',
    slug: 'argument-malformed',
    group: 'templating',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`%arguments` line that is not `key=value`.',
    description: [
      'Each `%arguments` line must be `KEY=value` with a non-empty key. Other lines (`KEY value`, `=x`, `KEY: v`) are',
      'skipped with only a warning during the build, so the default silently does not exist.',
      '',
      '**Fix:** write `KEY=value`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:{{ TAG }}\n\n%arguments\n    TAG 3.19\n',
    good: 'Bootstrap: docker\nFrom: alpine:{{ TAG }}\n\n%arguments\n    TAG=3.19\n',
    source: 'AP-ARGS `getKeyVal`; deffile-format.md §13.5',
    messages: {
      skippedApptainer: 'Skipped by Apptainer: {{ problem }}',
    },
  },
});
