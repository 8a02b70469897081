// File-level syntax: rejections without a better rule, empty files, crashes, size limit,
// headerless first section, whitespace style.
import type { Rule, RuleContext } from '../../types.js';
import { reportParserDiagnostics } from '../util/diagnostics.js';
import { endOfLine, endOfLineIncludingNewline, rangeOf, sectionHeadRange } from '../util/text.js';
import { defineRule } from '../../define-rule.js';

function firstLineRange(ctx: RuleContext) {
  return rangeOf(ctx.file, 0, endOfLine(ctx.file.text, 0));
}

export const emptyDefinition = defineRule({
  meta: {
    id: 'DEF006',
    slug: 'empty-definition',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'The file defines nothing (no header and no sections).',
    description: [
      'A file that is empty, or holds only blank lines and comments, has no stage: Apptainer fails with',
      '`no stages found in definition file`.',
      '',
      '**Fix:** add a header (`Bootstrap:` and `From:`) and the sections you need.',
    ].join('\n'),
    bad: '# nothing here yet\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n',
    source: 'AP-PARSER `All`, `ParseDefinitionFile`; deffile-format.md §7.7',
  },
  check(ctx) {
    // The parser marks the whole file; the first line is a more useful place to point at.
    const reported = reportParserDiagnostics(ctx, 'DEF006', { extra: () => ({ range: firstLineRange(ctx) }) });
    if (reported.size > 0 || ctx.file.apptainer.ok || ctx.file.stages.some((stage) => !stage.empty)) return;
    ctx.report({ message: 'Empty definition: no header and no sections (Apptainer: no stages found in definition file)', range: firstLineRange(ctx) });
  },
});

export const headerContinuationCrash = defineRule({
  meta: {
    id: 'DEF015',
    slug: 'header-continuation-crash',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'A header `\\` continuation followed by a blank or comment line crashes Apptainer.',
    description: [
      'A header value ending in `\\` continues on the next line. If that next line is blank or a comment,',
      'Apptainer\'s parser writes into a map it never created and **panics** (`assignment to entry in nil map`)',
      'instead of giving an error.',
      '',
      '**Fix:** remove the trailing backslash, or the blank/comment line after it.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19 \\\n\n# base image above\nStage: build\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n# base image above\nStage: build\n',
    source: 'AP-PARSER `doHeader`; deffile-format.md §5.2, §14.1 (verified h01, h02, e02)',
  },
  check(ctx) {
    const reported = reportParserDiagnostics(ctx, 'DEF015');
    const result = ctx.file.apptainer;
    if (reported.size === 0 && !result.ok && result.panic && result.error.includes('nil map')) {
      ctx.report({ message: `Apptainer crashes on this file: ${result.error}`, range: firstLineRange(ctx) });
    }
  },
});

export const filesLoneQuoteCrash = defineRule({
  meta: {
    id: 'DEF016',
    slug: 'files-lone-quote-crash',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'A `%files` line that is a lone `"` crashes Apptainer.',
    description: [
      'Apptainer splits each `%files` line into quoted or unquoted tokens. A line consisting of a single `"` yields',
      'no token at all, and the parser indexes the first one anyway: it **panics** (`index out of range [0] with',
      'length 0`).',
      '',
      '**Fix:** remove the stray quote (or complete the quoted path).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%files\n    "\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%files\n    "my file.txt" /opt/\n',
    source: 'AP-PARSER `parseTokenSection`; deffile-format.md §9.1 (verified f01)',
  },
  check(ctx) {
    reportParserDiagnostics(ctx, 'DEF016');
  },
});

export const appSectionWithoutName = defineRule({
  meta: {
    id: 'DEF017',
    slug: 'app-section-without-name',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'An `%app*` section line without an app name.',
    description: [
      'SCIF app sections need the app name after the word: `%apprun myapp`. Without it Apptainer stops at once',
      'with `app section apprun: could not be split into section name and app name`. (An *empty* name from a',
      'double space is DEF801.)',
      '',
      '**Fix:** add the app name.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%apprun\n    exec echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%apprun hello\n    exec echo hi\n',
    source: 'AP-PARSER `parseTokenSection`; deffile-format.md §11.1',
  },
  check(ctx) {
    reportParserDiagnostics(ctx, 'DEF017');
  },
});

export const firstSectionEmptyBody = defineRule({
  meta: {
    id: 'DEF018',
    slug: 'first-section-empty-body',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'A file that starts with a section line whose body is empty.',
    description: [
      'When line 1 is a section line, Apptainer trims the first token as a whole; an empty body leaves no newline to',
      'split on and the parse fails with `section %post: could not be split into section name and body`.',
      '',
      '**Fix:** start the file with its header, or remove the empty section.',
    ].join('\n'),
    bad: '%post\n\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n',
    source: 'AP-PARSER `doSections`; deffile-format.md §3.4 (verified s12, s13)',
  },
  check(ctx) {
    reportParserDiagnostics(ctx, 'DEF018');
  },
});

export const tokenTooLong = defineRule({
  meta: {
    id: 'DEF019',
    slug: 'token-too-long',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'A header or section larger than Apptainer\'s 64 KiB scanner limit.',
    description: [
      'Apptainer reads the file with Go\'s `bufio.Scanner` and its default 64 KiB token limit: a header, or one',
      'section (plus the next section line), larger than that fails with `bufio.Scanner: token too long`. A huge',
      'inline `%post` or `%help` is the usual cause.',
      '',
      '**Fix:** move big scripts or data into files copied with `%files`, or split the section.',
    ].join('\n'),
    bad: `Bootstrap: docker\nFrom: alpine:3.19\n\n%help\n${'    This line of help text is repeated far too many times.\n'.repeat(1200)}`,
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%help\n    Short help. Details live in /opt/app/README.md.\n',
    source: 'deffile-format.md §3.5 (verified SIZE_LIMIT, z_big_*)',
  },
  check(ctx) {
    // The parser measures tokens exactly as Go's scanner does; report its finding on the section line.
    const sections = ctx.file.stages.flatMap((stage) => stage.sections);
    reportParserDiagnostics(ctx, 'DEF019', {
      extra: (diagnostic) => {
        const section = sections.find((s) => s.lineRange.start.offset === diagnostic.range.start.offset);
        const range = section ? sectionHeadRange(ctx.file, section) : rangeOf(ctx.file, diagnostic.range.start.offset, endOfLine(ctx.file.text, diagnostic.range.start.offset));
        return { range };
      },
    });
  },
});

export const invalidUtf8 = defineRule({
  meta: {
    id: 'DEF020',
    slug: 'invalid-utf8',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'Bytes that are not valid UTF-8.',
    description: [
      'Definition files are read as UTF-8. Invalid byte sequences (a file saved as Latin-1, binary garbage) are',
      'replaced when the file is decoded, so what Apptainer sees differs from what the editor shows.',
      '',
      '**Fix:** save the file as UTF-8.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    Author Jos\ud800\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    Author Jos\u00e9\n',
    source: 'deffile-format.md §17 (encodings); parser',
  },
  check(ctx) {
    const reported = reportParserDiagnostics(ctx, 'DEF020');
    const text = ctx.file.text;
    // U+FFFD is what a decoder leaves for invalid bytes; a lone surrogate cannot be encoded at all.
    const bad = /\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
    for (const match of text.matchAll(bad)) {
      const offset = match.index!;
      const position = ctx.file.positionAt(offset);
      if (reported.has(position.line)) continue;
      reported.add(position.line);
      ctx.report({ message: 'Character that is not valid UTF-8 (a decoding replacement character or a lone surrogate)', range: rangeOf(ctx.file, offset, offset + 1) });
    }
  },
});

export const whitespaceStyle = defineRule({
  meta: {
    id: 'DEF013',
    slug: 'whitespace-style',
    group: 'syntax',
    defaultSeverity: 'off',
    presets: [],
    summary: 'Trailing whitespace, mixed tab/space indentation, missing final newline.',
    description: [
      'Formatting hygiene, off by default (a formatter\'s job). Trailing whitespace is left alone after a `\\`, where',
      'removing it would turn an escaped space into a line continuation.',
      '',
      '**Fix:** safe fixes remove trailing whitespace and add the final newline.',
    ].join('\n'),
    bad: 'Bootstrap: docker   \nFrom: alpine:3.19\n\n%post\n \techo hi',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    echo hi\n',
    source: 'style (formatter territory)',
    fixKind: 'safe',
  },
  check(ctx) {
    const text = ctx.file.text;
    let lineStart = 0;
    while (lineStart < text.length) {
      const lineEnd = endOfLine(text, lineStart);
      const line = text.slice(lineStart, lineEnd);
      const trailing = /[ \t]+$/.exec(line);
      if (trailing && line.trim() !== '' && !line.slice(0, trailing.index).endsWith('\\')) {
        const start = lineStart + trailing.index;
        ctx.report({
          message: 'Trailing whitespace',
          range: rangeOf(ctx.file, start, lineEnd),
          fix: { description: 'Remove trailing whitespace', edits: [{ start, end: lineEnd, text: '' }] },
          tags: ['unnecessary'],
        });
      }
      const indent = /^[ \t]*/.exec(line)![0];
      if (indent.includes(' ') && indent.includes('\t') && line.trim() !== '') {
        ctx.report({ message: 'Indentation mixes tabs and spaces', range: rangeOf(ctx.file, lineStart, lineStart + indent.length) });
      }
      lineStart = endOfLineIncludingNewline(text, lineStart);
    }
    if (text.length > 0 && !text.endsWith('\n')) {
      ctx.report({
        message: 'No newline at the end of the file',
        range: rangeOf(ctx.file, text.length, text.length),
        fix: { description: 'Add a final newline', edits: [{ start: text.length, end: text.length, text: '\n' }] },
      });
    }
  },
});

export const fileRules: Rule[] = [
  emptyDefinition, whitespaceStyle, headerContinuationCrash, filesLoneQuoteCrash, appSectionWithoutName, firstSectionEmptyBody, tokenTooLong, invalidUtf8,
];
