// DEF008 section-name-case: Section name not in lowercase.
import { isStandardSectionName } from '../../vocab/sections.js';
import { q, rangeOf, sectionWordSpan } from '../../vocab/text.js';
import { replaceFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';

export const sectionNameCase = defineRule({
  create: (ctx) => ({
    section(section) {
      if (section.kind !== 'standard') return;
      const span = sectionWordSpan(ctx.file, section);
      const word = ctx.file.text.slice(span.wordStart, span.wordEnd);
      const lower = word.toLowerCase();
      if (word === lower || !isStandardSectionName(lower)) return;
      ctx.report({
        messageId: 'sectionNameConventionallyWritten',
        data: { written: q('%' + word), conventional: q('%' + lower) },
        range: rangeOf(ctx.file, span.wordStart, span.wordEnd),
        fix: replaceFix(`Write %${lower}`, span.wordStart, span.wordEnd, lower),
      });
    },
  }),
  meta: {
    id: 'DEF008',
    slug: 'section-name-case',
    group: 'syntax',
    defaultSeverity: 'style',
    presets: ['recommended'],
    summary: 'Section name not in lowercase.',
    description: [
      'Apptainer lowercases standard section names, so `%POST` or `%RunScript` work, but lowercase is the',
      'convention everywhere (and app section words such as `%AppRun` are *not* accepted in another case).',
      '',
      '**Fix:** write the name in lowercase (safe fix).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%POST\n    echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    echo hi\n',
    source: 'AP-PARSER (names lowercased); deffile-format.md §15 probes',
    fixKind: 'safe',
    scope: 'section',
    messages: {
      sectionNameConventionallyWritten: 'Section name {{ written }} is conventionally written {{ conventional }}',
    },
  },
});
