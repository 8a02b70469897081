// DEF906 template-default-quoted: Quoted `%arguments` default used in the header, `%files` or `%labels`: the quotes are kept.
import { endOfLine, q, rangeOf } from '../../vocab/text.js';
import { replaceFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { argumentEntries, activePlaceholders, usePlace } from '../../vocab/templating-templates.js';

export const templateDefaultQuoted = defineRule({
  create: (ctx) => ({
    stage(stage) {
      const places = new Map<string, Set<string>>();
      for (const placeholder of activePlaceholders(stage)) {
        const set = places.get(placeholder.name) ?? new Set<string>();
        set.add(usePlace(stage, placeholder));
        places.set(placeholder.name, set);
      }
      for (const entry of argumentEntries(stage)) {
        if (entry.problem || !/^(["']).*\1$/s.test(entry.value) || entry.value.length < 2) continue;
        const uses = places.get(entry.key);
        if (!uses || (!uses.has('header') && !uses.has('non-shell'))) continue;
        const lineEnd = endOfLine(ctx.file.text, entry.range.start.offset);
        const equals = ctx.file.text.indexOf('=', entry.range.start.offset);
        const valueStart = ctx.file.text.indexOf(entry.value, equals);
        const range = valueStart === -1 || valueStart > lineEnd ? entry.range : rangeOf(ctx.file, valueStart, valueStart + entry.value.length);
        const unquoted = entry.value.slice(1, -1);
        const strip = replaceFix('Remove the quotes', range.start.offset, range.end.offset, unquoted);
        const where = uses.has('header') ? 'the header' : '%files/%labels';
        ctx.report({
          messageId: 'usedWhereQuotesKept',
          data: { key: q(entry.key), where, entry: q(entry.value) },
          range,
          fix: uses.has('shell') || valueStart === -1 ? undefined : strip,
          suggestions: uses.has('shell') ? [strip] : undefined,
        });
      }
    },
  }),
  meta: {
    id: 'DEF906',
    slug: 'template-default-quoted',
    group: 'templating',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Quoted `%arguments` default used in the header, `%files` or `%labels`: the quotes are kept.',
    description: [
      '`%arguments` values are taken verbatim, quotes included. In a shell script that may be what you want, but in',
      '`From:`, `Stage:`, `%files` or `%labels` the quotes end up in the value: `From: "ubuntu:24.04"` fails.',
      '',
      '**Fix:** drop the quotes (safe fix when every use is outside shell scripts).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: {{ BASE }}\n\n%arguments\n    BASE="ubuntu:24.04"\n',
    good: 'Bootstrap: docker\nFrom: {{ BASE }}\n\n%arguments\n    BASE=ubuntu:24.04\n',
    source: 'AP-ARGS (trim, no unquote); deffile-format.md §13.5',
    fixKind: 'safe',
    messages: {
      usedWhereQuotesKept: '{{ key }} is used in {{ where }}, where its quotes are kept literally ({{ entry }})',
    },
  },
});
