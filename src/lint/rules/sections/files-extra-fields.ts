// DEF201 files-extra-fields: `%files` line with more than two fields (or an inline comment): the rest is silently dropped.
import type { Fix } from '../../types.js';
import { endOfLine, q, rangeOf, startOfLine } from '../../vocab/text.js';
import { replaceFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { isFilesSection, rawOf } from '../../vocab/sections-files-labels.js';

export const filesExtraFields = defineRule({
  create: (ctx) => ({
    section(section) {
      if (!isFilesSection(section)) return;
      for (const entry of section.files ?? []) {
        if (!entry.destinationRange) continue;
        const lineStart = startOfLine(ctx.file.text, entry.range.start.offset);
        const lineEnd = endOfLine(ctx.file.text, entry.range.start.offset);
        const indent = /^[ \t]*/.exec(ctx.file.text.slice(lineStart, lineEnd))![0];
        if (entry.destination.startsWith('#')) {
          ctx.report({
            messageId: 'inlineCommentsDoNot',
            data: { source: q(entry.source), destination: q(entry.destination) },
            range: rangeOf(ctx.file, entry.destinationRange.start.offset, lineEnd),
          });
          continue;
        }
        // A trailing `# note` after source and destination is dropped, which is what its author wanted.
        if (entry.extra.length === 0 || entry.extra[0].startsWith('#')) continue;
        let extraStart = entry.destinationRange.end.offset;
        while (extraStart < lineEnd && /\s/.test(ctx.file.text[extraStart])) extraStart++;
        const tokens = [rawOf(ctx, entry.sourceRange), rawOf(ctx, entry.destinationRange), ...entry.extra.map((t) => (/\s/.test(t) ? `"${t}"` : t))];
        const last = tokens[tokens.length - 1];
        const suggestions: Fix[] = last.replace(/"$/, '').endsWith('/')
          ? [
              replaceFix(
                `One line per source, each into ${last}`,
                lineStart,
                lineEnd,
                tokens
                  .slice(0, -1)
                  .map((t) => `${indent}${t} ${last}`)
                  .join('\n'),
              ),
            ]
          : [replaceFix('Remove the ignored fields', entry.destinationRange.end.offset, lineEnd, '')];
        ctx.report({
          messageId: 'filesUsesOnlyFirst',
          data: { source: q(entry.source), destination: q(entry.destination), extra: q(entry.extra.join(' ')) },
          range: rangeOf(ctx.file, extraStart, lineEnd),
          suggestions,
        });
      }
    },
  }),
  meta: {
    id: 'DEF201',
    slug: 'files-extra-fields',
    group: 'sections',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`%files` line with more than two fields (or an inline comment): the rest is silently dropped.',
    description: [
      'Each `%files` line is `source [destination]`. Apptainer takes the first two fields and silently ignores the',
      'rest, so the Docker habit `a b c /dest/` copies only `a` to `b`. An inline `# comment` is no comment here:',
      '`src # note` copies `src` to a file named `#`.',
      '',
      '**Fix:** one line per source (the quick fix splits the line when the last field is a directory ending in `/`);',
      'put comments on their own line.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%files\n    run.sh config.yaml /opt/app/\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%files\n    run.sh /opt/app/\n    config.yaml /opt/app/\n',
    source: 'AP-PARSER (files); deffile-format.md §9.1, §16 item 39',
    fixKind: 'suggestion',
    messages: {
      inlineCommentsDoNot: 'Inline comments do not exist in %files: {{ source }} is copied to a file named {{ destination }}',
      filesUsesOnlyFirst: '%files uses only the first two fields ({{ source }} → {{ destination }}); {{ extra }} is ignored',
    },
  },
});
