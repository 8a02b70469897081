// DEF011 header-key-case: Header key not in its conventional spelling.
import { acceptedSpellings } from '../../vocab/header.js';
import { q, rangeOf } from '../../vocab/text.js';
import { replaceFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { keySpan } from '../../vocab/syntax-header.js';

export const headerKeyCase = defineRule({
  create: (ctx) => ({
    headerEntry(entry) {
      if (!entry.valid) return;
      const spellings = acceptedSpellings(entry.key);
      if (spellings.length === 0 || spellings.includes(entry.rawKey)) return;
      const span = keySpan(ctx, entry);
      ctx.report({
        messageId: 'headerKeyConventionallyWritten',
        data: { rawKey: q(entry.rawKey), spellings: q(spellings[0]) },
        range: rangeOf(ctx.file, span.start, span.end),
        fix: replaceFix(`Write ${spellings[0]}`, span.start, span.end, spellings[0]),
      });
    },
  }),
  meta: {
    id: 'DEF011',
    slug: 'header-key-case',
    group: 'syntax',
    defaultSeverity: 'style',
    presets: ['recommended'],
    summary: 'Header key not in its conventional spelling.',
    description: [
      'Keys are case-insensitive (`BOOTSTRAP:` works), but the documented spellings — `Bootstrap`, `From`, `Stage`,',
      '`OSVersion`, `MirrorURL`, `UpdateURL`, `Include`, `Fingerprints`, `OtherURL0` ... — are easier to read and to',
      'grep. `BootStrap` (the old Singularity docs) is accepted too.',
      '',
      '**Fix:** safe fix rewrites the key.',
    ].join('\n'),
    bad: 'bootstrap: docker\nFROM: alpine:3.19\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n',
    source: 'AP-PARSER (keys lowercased); AP-DEF, AP-APPX spellings',
    fixKind: 'safe',
    messages: {
      headerKeyConventionallyWritten: 'Header key {{ rawKey }} is conventionally written {{ spellings }}',
    },
  },
});
