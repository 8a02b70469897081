// DEF204 label-empty-or-duplicate: Label without a value, or the same label twice.
import type { LabelEntry } from '../../../parse/model.js';
import { endOfLineIncludingNewline, q, startOfLine } from '../../vocab/text.js';
import { deleteFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { labelsOf, SEPARATOR } from '../../vocab/sections-files-labels.js';

export const labelEmptyOrDuplicate = defineRule({
  create(ctx) {
    const text = ctx.file.text;
    // Labels set twice in one stage (a later stage starts afresh).
    let seen = new Map<string, LabelEntry>();
    return {
      chunk() {
        seen = new Map();
      },
      section(section) {
        for (const label of labelsOf(section)) {
          if (label.value === '' && !SEPARATOR.test(label.key)) {
            ctx.report({ messageId: 'labelHasNoValue', data: { key: q(label.key) }, range: label.keyRange });
          }
          const scope = section.name === 'applabels' ? `app ${section.app} ` : '';
          const key = `${scope}${label.key}`;
          const earlier = seen.get(key);
          seen.set(key, label);
          if (!earlier) continue;
          const start = startOfLine(text, earlier.range.start.offset);
          ctx.report({
            messageId: 'labelAlreadySetLine',
            data: { key: q(label.key), line: earlier.range.start.line },
            range: label.keyRange,
            suggestions: [deleteFix(`Delete line ${earlier.range.start.line}`, start, endOfLineIncludingNewline(text, earlier.range.start.offset))],
          });
        }
      },
    };
  },
  meta: {
    id: 'DEF204',
    slug: 'label-empty-or-duplicate',
    group: 'sections',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Label without a value, or the same label twice.',
    description: [
      'A label line with a single word gets an empty value; a key set twice keeps only the last value (for app',
      'labels: per app).',
      '',
      '**Fix:** give the label a value, and keep one line per key (the quick fix deletes the overridden line).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    Version 1.0\n    Maintainer\n    Version 1.1\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    Maintainer me@example.org\n    Version 1.1\n',
    source: 'AP-PARSER `GetLabels`; HL DL3051',
    fixKind: 'suggestion',
    messages: {
      labelHasNoValue: 'Label {{ key }} has no value',
      labelAlreadySetLine: 'Label {{ key }} is already set on line {{ line }}; this value wins',
    },
  },
});
