// DEF012 duplicate-header-key: The same header key twice in one stage; the last one silently wins.
import type { HeaderEntry } from '../../../parse/model.js';
import { keptEntries } from '../../vocab/header.js';
import { endOfLineIncludingNewline, q, startOfLine } from '../../vocab/text.js';
import { deleteFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';

export const duplicateHeaderKey = defineRule({
  create: (ctx) => ({
    stage(stage) {
      const seen = new Map<string, HeaderEntry>();
      for (const entry of keptEntries(stage)) {
        const earlier = seen.get(entry.key);
        seen.set(entry.key, entry);
        if (!earlier) continue;
        const start = startOfLine(ctx.file.text, earlier.range.start.offset);
        const end = endOfLineIncludingNewline(ctx.file.text, earlier.range.end.offset > start ? earlier.range.end.offset - 1 : start);
        ctx.report({
          messageId: 'alreadySetLineValue',
          data: { rawKey: q(entry.rawKey), line: earlier.range.start.line, earlier: q(earlier.value), entry: q(entry.value) },
          range: entry.keyRange,
          suggestions: [deleteFix(`Delete the overridden line ${earlier.range.start.line}`, start, end)],
        });
      }
    },
  }),
  meta: {
    id: 'DEF012',
    slug: 'duplicate-header-key',
    group: 'syntax',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'The same header key twice in one stage; the last one silently wins.',
    description: [
      'Apptainer stores the header in a map: a second `From:` replaces the first without a word. This usually hides',
      'a merge or copy-paste mistake.',
      '',
      '**Fix:** keep one line (the quick fix deletes the overridden one).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\nFrom: ubuntu:24.04\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:24.04\n',
    source: 'AP-PARSER (map, last wins); deffile-format.md §5.2',
    fixKind: 'suggestion',
    messages: {
      alreadySetLineValue: '{{ rawKey }} is already set on line {{ line }} ({{ earlier }}); this value ({{ entry }}) silently wins',
    },
  },
});
