// DEF004 unknown-header-keyword: Header key that Apptainer does not accept.
import type { HeaderEntry } from '../../../parse/model.js';
import { PARSER_MESSAGES, reportParserDiagnostics } from '../../vocab/diagnostics.js';
import { acceptedSpellings, isValidHeaderKey, VALID_HEADER_KEYS } from '../../vocab/header.js';
import { nearest, q } from '../../vocab/text.js';
import { replaceFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { causedByBom, keySpan } from '../../vocab/syntax-header.js';

export const unknownHeaderKeyword = defineRule({
  check(ctx) {
    // Parser diagnostics and header entries meet by line: this rule looks at the whole file at once.
    const entriesByLine = new Map(ctx.file.stages.flatMap((stage) => stage.header ?? []).map((entry) => [entry.range.start.line, entry]));
    const suggestionsFor = (entry: HeaderEntry | undefined) => {
      if (!entry || entry.key === '') return [];
      const candidate = nearest(entry.key, VALID_HEADER_KEYS, 2) ?? (/^otherurl$/.test(entry.key) ? 'otherurl0' : undefined);
      if (!candidate) return [];
      const span = keySpan(ctx, entry);
      const spelling = acceptedSpellings(candidate)[0] ?? candidate;
      return [replaceFix(`Change the key to ${spelling}`, span.start, span.end, spelling)];
    };
    const reported = reportParserDiagnostics(ctx, 'DEF004', {
      skip: (d) => causedByBom(ctx, d.range.start.line, d.range.start.offset),
      extra: (d) => ({ suggestions: suggestionsFor(entriesByLine.get(d.range.start.line)) }),
    });
    for (const entry of entriesByLine.values()) {
      if (entry.valid || isValidHeaderKey(entry.key) || reported.has(entry.range.start.line)) continue;
      if (causedByBom(ctx, entry.range.start.line, entry.range.start.offset)) continue;
      const hint = entry.key === 'otherurl' ? ' (OtherURL needs a number: OtherURL0, OtherURL1, ...)' : '';
      ctx.report({
        messageId: 'unknownHeaderKeyApptainer',
        data: { rawKey: q(entry.rawKey), key: entry.key, hint },
        range: entry.keyRange,
        suggestions: suggestionsFor(entry),
      });
    }
  },
  meta: {
    id: 'DEF004',
    slug: 'unknown-header-keyword',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'Header key that Apptainer does not accept.',
    description: [
      "Header keys are case-insensitive but must be one of Apptainer's known keys (`Bootstrap`, `From`, `Stage`,",
      '`OSVersion`, `MirrorURL`, `Include`, `Fingerprints`, `OtherURL<N>`, ...). Anything else — `Maintainer:`,',
      'the Singularity 2 key `Exclude:`, a misspelt `Fingerprint:`, a placeholder used as a key — makes the build',
      'fail with `invalid header keyword found`.',
      '',
      '**Fix:** correct the key (the quick fix proposes the nearest), or move metadata into `%labels`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\nMaintainer: me@example.org\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    Maintainer me@example.org\n',
    source: 'AP-PARSER `doHeader`, `validHeaders`; deffile-format.md §5.4',
    fixKind: 'suggestion',
    messages: {
      ...PARSER_MESSAGES,
      unknownHeaderKeyApptainer: 'Unknown header key {{ rawKey }}: Apptainer rejects the file (invalid header keyword found: {{ key }}){{ hint }}',
    },
  },
});
