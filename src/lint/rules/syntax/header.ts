// Header-line syntax: missing colon, unknown keys, BOM, key case, duplicates, continuations.
import type { HeaderEntry } from '../../../parse/model.js';
import type { Rule, RuleContext } from '../../types.js';
import { reportParserDiagnostics } from '../util/diagnostics.js';
import { acceptedSpellings, isValidHeaderKey, keptEntries, VALID_HEADER_KEYS } from '../util/header.js';
import { liveStages } from '../util/sections.js';
import { deleteFix, endOfLine, endOfLineIncludingNewline, nearest, q, rangeOf, replaceFix, startOfLine } from '../util/text.js';
import { defineRule } from '../../define-rule.js';

const BOM = '\ufeff';

/** Parser diagnostics on line 1 that only exist because of a BOM (DEF014 reports the BOM). */
function causedByBom(ctx: RuleContext, line: number, offset: number): boolean {
  return ctx.file.text.startsWith(BOM) && line === 1 && offset <= 1;
}

/** Where the key is written in the text (keyRange when it matches, else searched on the line). */
function keySpan(ctx: RuleContext, entry: HeaderEntry): { start: number; end: number } {
  const { start, end } = { start: entry.keyRange.start.offset, end: entry.keyRange.end.offset };
  if (ctx.file.text.slice(start, end) === entry.rawKey) return { start, end };
  const lineStart = startOfLine(ctx.file.text, entry.range.start.offset);
  const at = ctx.file.text.indexOf(entry.rawKey, lineStart);
  return at === -1 ? { start, end } : { start: at, end: at + entry.rawKey.length };
}

export const headerLineWithoutColon = defineRule({
  meta: {
    id: 'DEF003',
    slug: 'header-line-without-colon',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'Header line with no `:`.',
    description: [
      'Every non-blank, non-comment line before the first section must be `Key: value`. A line without a colon',
      '(a Dockerfile-style `FROM ubuntu`, a stray word, or `Fr#om: x`, which the `#` cuts to `Fr`) makes Apptainer',
      'reject the file with `header key ... had no val`.',
      '',
      '**Fix:** write `Key: value`, turn the line into a comment with `#`, or move it into a section.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\nRUN apk add bash\n\n%post\n    echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    apk add bash\n',
    source: 'AP-PARSER `doHeader`; deffile-format.md §5.2',
  },
  check(ctx) {
    reportParserDiagnostics(ctx, 'DEF003', { skip: (d) => causedByBom(ctx, d.range.start.line, d.range.start.offset) });
  },
});

export const unknownHeaderKeyword = defineRule({
  meta: {
    id: 'DEF004',
    slug: 'unknown-header-keyword',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'Header key that Apptainer does not accept.',
    description: [
      'Header keys are case-insensitive but must be one of Apptainer\'s known keys (`Bootstrap`, `From`, `Stage`,',
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
  },
  check(ctx) {
    const entriesByLine = new Map<number, HeaderEntry>();
    for (const stage of ctx.file.stages) for (const entry of stage.header ?? []) entriesByLine.set(entry.range.start.line, entry);
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
        message: `Unknown header key ${q(entry.rawKey)}: Apptainer rejects the file (invalid header keyword found: ${entry.key})${hint}`,
        range: entry.keyRange,
        suggestions: suggestionsFor(entry),
      });
    }
  },
});

export const byteOrderMark = defineRule({
  meta: {
    id: 'DEF014',
    slug: 'byte-order-mark',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'The file starts with a UTF-8 byte-order mark.',
    description: [
      'Apptainer does not skip a BOM: it becomes part of the first header line, which then fails as',
      '`invalid header keyword found: \\ufeffbootstrap` or `header key \\ufeff had no val`. Editors on Windows add it',
      'silently.',
      '',
      '**Fix:** save the file as UTF-8 without BOM (safe fix: delete it).',
    ].join('\n'),
    bad: '\ufeffBootstrap: docker\nFrom: alpine:3.19\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n',
    source: 'deffile-format.md §3.1 (verified h20); corpus files with a BOM',
    fixKind: 'safe',
  },
  check(ctx) {
    const reported = reportParserDiagnostics(ctx, 'DEF014', { extra: () => ({ fix: deleteFix('Remove the byte-order mark', 0, 1) }) });
    if (!ctx.file.text.startsWith(BOM) || reported.has(1)) return;
    ctx.report({
      message: 'UTF-8 byte-order mark at the start of the file: Apptainer reads it as part of the first header key and rejects the file',
      range: rangeOf(ctx.file, 0, 1),
      fix: deleteFix('Remove the byte-order mark', 0, 1),
    });
  },
});

export const headerKeyCase = defineRule({
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
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      for (const entry of stage.header ?? []) {
        if (!entry.valid) continue;
        const spellings = acceptedSpellings(entry.key);
        if (spellings.length === 0 || spellings.includes(entry.rawKey)) continue;
        const span = keySpan(ctx, entry);
        ctx.report({
          message: `Header key ${q(entry.rawKey)} is conventionally written ${q(spellings[0])}`,
          range: rangeOf(ctx.file, span.start, span.end),
          fix: replaceFix(`Write ${spellings[0]}`, span.start, span.end, spellings[0]),
        });
      }
    }
  },
});

export const duplicateHeaderKey = defineRule({
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
  },
  check(ctx) {
    for (const stage of liveStages(ctx.file)) {
      const seen = new Map<string, HeaderEntry>();
      for (const entry of keptEntries(stage)) {
        const earlier = seen.get(entry.key);
        seen.set(entry.key, entry);
        if (!earlier) continue;
        const start = startOfLine(ctx.file.text, earlier.range.start.offset);
        const end = endOfLineIncludingNewline(ctx.file.text, earlier.range.end.offset > start ? earlier.range.end.offset - 1 : start);
        ctx.report({
          message: `${q(entry.rawKey)} is already set on line ${earlier.range.start.line} (${q(earlier.value)}); this value (${q(entry.value)}) silently wins`,
          range: entry.keyRange,
          suggestions: [deleteFix(`Delete the overridden line ${earlier.range.start.line}`, start, end)],
        });
      }
    }
  },
});

export const headerContinuation = defineRule({
  meta: {
    id: 'DEF021',
    slug: 'header-continuation',
    group: 'syntax',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'A `\\` continuation in the header drops a key or swallows the next header line.',
    description: [
      'A header value ending in `\\` continues on the next line, with no separator. Two traps:',
      '',
      '* on the **last** header line the pending entry is silently dropped — key included (`From: ubuntu \\` before',
      '  `%post` means no `From` at all);',
      '* at the end of a key line it swallows the next line: `Bootstrap: docker \\` then `From: ubuntu` gives',
      '  `Bootstrap = "docker From: ubuntu"` and no `From`.',
      '',
      '(A continuation followed by a blank or comment line crashes Apptainer: see DEF015.)',
      '',
      '**Fix:** remove the trailing backslash.',
    ].join('\n'),
    bad: 'Bootstrap: docker \\\nFrom: alpine:3.19\n\n%post\n    echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    echo hi\n',
    source: 'AP-PARSER `doHeader`; deffile-format.md §5.2 (verified h03, h06)',
  },
  check(ctx) {
    const text = ctx.file.text;
    for (const stage of ctx.file.stages) {
      for (const entry of stage.header ?? []) {
        if (entry.dropped) {
          ctx.report({
            message: `The \`\\\` continuation on the last header line drops ${q(entry.rawKey)} entirely: Apptainer never stores it`,
            range: entry.range,
          });
          continue;
        }
        if (!entry.continued) continue;
        // Lines after the first one of a continued entry: a `Key:` line there was swallowed.
        let lineStart = endOfLineIncludingNewline(text, entry.range.start.offset);
        while (lineStart < entry.range.end.offset) {
          const lineEnd = endOfLine(text, lineStart);
          const line = text.slice(lineStart, lineEnd);
          const match = /^(\s*)([A-Za-z][\w]*)\s*:/.exec(line);
          if (match && isValidHeaderKey(match[2].toLowerCase())) {
            const keyStart = lineStart + match[1].length;
            ctx.report({
              message: `This ${q(match[2] + ':')} line is joined into the value of ${q(entry.rawKey)} by the \`\\\` on the line before, so it is not a header entry`,
              range: rangeOf(ctx.file, keyStart, keyStart + match[2].length),
            });
          }
          lineStart = endOfLineIncludingNewline(text, lineStart);
        }
      }
    }
  },
});

export const headerRules: Rule[] = [headerLineWithoutColon, unknownHeaderKeyword, headerKeyCase, duplicateHeaderKey, byteOrderMark, headerContinuation];
