// DEF203 labels-separator: Label written `Key=value`, `Key: value` or with a tab: only a space separates key and value.
import { endOfLine, q, rangeOf } from '../../vocab/text.js';
import { replaceFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { labelsOf, SEPARATOR } from '../../vocab/sections-files-labels.js';

export const labelsSeparator = defineRule({
  create: (ctx) => ({
    section(section) {
      for (const label of labelsOf(section)) {
        const at = label.key.search(SEPARATOR);
        if (at <= 0) continue;
        const sepStart = label.keyRange.start.offset + at;
        const lineEnd = endOfLine(ctx.file.text, sepStart);
        let sepEnd = sepStart + 1;
        while (sepEnd < lineEnd && /[ \t]/.test(ctx.file.text[sepEnd])) sepEnd++;
        const separator = label.key[at] === '\t' ? 'a tab' : q(label.key[at]);
        const name = label.key.slice(0, at);
        // `Key="a b"`: quotes are not syntax in %labels, so the fix drops them with the separator.
        const quoted = /^(["'])(.*)\1\s*$/.exec(ctx.file.text.slice(sepEnd, lineEnd));
        const fix = quoted
          ? replaceFix(`Write \`${name} ${quoted[2]}\``, sepStart, lineEnd, ` ${quoted[2]}`)
          : replaceFix(`Write \`${name} <value>\``, sepStart, sepEnd, sepEnd === lineEnd ? '' : ' ');
        ctx.report({
          messageId: 'labelsSplitFirstSpace',
          data: { separator, key: q(label.key), emptyNote: label.value ? '' : ' with an empty value' },
          range: rangeOf(ctx.file, sepStart, sepStart + 1),
          fix,
        });
      }
    },
  }),
  meta: {
    id: 'DEF203',
    slug: 'labels-separator',
    group: 'sections',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Label written `Key=value`, `Key: value` or with a tab: only a space separates key and value.',
    description: [
      'Apptainer splits each `%labels` line at the first space, nothing else: `Author=me` is a label named',
      '`Author=me` with an empty value, `Version: 1.0` a label named `Version:`, and `Author<TAB>me` one key with',
      'an empty value.',
      '',
      '**Fix:** write `Key value` (safe fix).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    Author=me@example.org\n    Version: 1.0\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    Author me@example.org\n    Version 1.0\n',
    source: 'AP-PARSER `GetLabels`; HL DL3048; deffile-format.md §10',
    fixKind: 'safe',
    messages: {
      labelsSplitFirstSpace: 'Labels are split at the first space only: with {{ separator }} this is a label named {{ key }}{{ emptyNote }}',
    },
  },
});
