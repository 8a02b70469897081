// Apptainer's `parser.All` result alone, without the positioned model: what `apptainer-gen parse
// --format apptainer-json` prints. It follows the same steps as the full interpreter in stage.ts
// (cut at `bootstrap:` lines, scanner tokens, doHeader, parseTokenSection, populateDefinition) but
// builds no ranges, diagnostics, placeholders or shells, and stops at the first error, as Apptainer
// does. test/parse/apptainer-result.test.ts holds it equal to `parse(text).apptainer`.
import { lineContentEnd, sectionLineStarts } from '../../grammar/lines.js';
import type { ApptainerResult } from './model.js';
import {
  APP_SECTIONS,
  DefinitionCollector,
  FILE_FIELD,
  isEmptyDefinition,
  isValidHeaderKey,
  MAX_TOKEN,
  splitN,
  STANDARD_SECTIONS,
  trimQuotes,
  type ChunkResult,
} from './stage.js';
import { continueHeaderValue, goTrimSpace, trimEndAt, trimStartAt, utf8Length } from './text.js';

// The lines that matter are found with native string search, which is fast from the first file
// on: a section line is one whose first non-space character (Go spaces) is a `%`, found from the
// `%` characters, and a stage line is `bootstrap:` at column 1 (Go's case folding included), found
// by a regular expression. No other line is looked at, except inside a header or a %files body.
const STAGE_LINE = /\n[bB][oO][oO][tT][sS\u017f][tT][rR][aA][pP]:/g;
// eslint-disable-next-line no-control-regex -- every character above ASCII
const NON_ASCII = /[^\x00-\x7f]/;

/** Offset after the line's terminator (the next line's start). */
function lineNext(text: string, start: number): number {
  const nl = text.indexOf('\n', start);
  return nl === -1 ? text.length : nl + 1;
}

type Failure = Exclude<ChunkResult, { ok: true }>;
const failed = (message: string): Failure => ({ ok: false, error: `failed to parse deffile header: ${message}` });
const EMPTY: Failure = { ok: false, error: 'empty definition file', empty: true };
const TOO_LONG: Failure = { ok: false, error: 'bufio.Scanner: token too long' };

export function parseApptainerResult(text: string): ApptainerResult {
  const defs = [];
  const allSections = sectionLineStarts(text);
  let nextSection = 0;
  let chunkStart = 0;
  STAGE_LINE.lastIndex = 0;
  for (;;) {
    // A stage line at offset 0 starts the first chunk, which starts there anyway.
    const m = STAGE_LINE.exec(text);
    const at = m === null ? text.length : m.index + 1;
    if (at > chunkStart) {
      const sections: number[] = [];
      while (nextSection < allSections.length && allSections[nextSection] < at) sections.push(allSections[nextSection++]);
      const result = new ChunkReader(text, chunkStart, at, sections).read();
      if (result.ok) defs.push(result.definition);
      else if (!result.empty) {
        return {
          ok: false,
          error: result.error,
          ...(result.invalidSections ? { invalidSections: result.invalidSections } : {}),
          ...(result.panic ? { panic: true } : {}),
        };
      }
    }
    if (m === null) break;
    chunkStart = at;
  }
  return defs.length > 0 ? { ok: true, defs } : { ok: false, error: 'no stages found in definition file' };
}

/** One stage chunk: text[start, end), with the offsets of its section lines. */
class ChunkReader {
  private readonly collector = new DefinitionCollector();

  constructor(
    private readonly text: string,
    private readonly start: number,
    private readonly end: number,
    private readonly sections: number[],
  ) {}

  read(): ChunkResult {
    const { start, end, sections } = this;
    const firstSection = sections.length > 0 ? sections[0] : end;
    // Scanner tokens: the header (lines before the first section line), then one per section.
    const hasHeader = firstSection > start;
    const tooLongAt = this.findTooLongToken(hasHeader);

    let token = 0;
    if (hasHeader) {
      if (tooLongAt === token) return TOO_LONG;
      const failure = this.readHeader(start, firstSection);
      if (failure) return failure;
      token++;
    }
    for (let i = 0; i < sections.length; i++, token++) {
      if (tooLongAt === token) return TOO_LONG;
      const failure = this.readSection(sections[i], i + 1 < sections.length ? sections[i + 1] : end, sections[i] === start);
      if (failure) return failure;
    }

    const { collector } = this;
    if (collector.invalid.size > 0) {
      const names = [...collector.invalid].sort();
      return { ok: false, error: `invalid section(s) specified: ${names.join(', ')}`, invalidSections: names };
    }
    const definition = collector.definition();
    return isEmptyDefinition(definition) ? EMPTY : { ok: true, definition };
  }

  /** Index of the first token that overflows bufio.Scanner's 64 KiB buffer, or -1. */
  private findTooLongToken(hasHeader: boolean): number {
    const { text, start, end, sections } = this;
    // A UTF-16 unit is at most 3 UTF-8 bytes: small chunks cannot overflow.
    if ((end - start) * 3 < MAX_TOKEN) return -1;
    const ascii = !NON_ASCII.test(text.slice(start, end));
    // UTF-8 bytes from the chunk start to `offset`, for offsets asked in ascending order.
    let at = start;
    let counted = 0;
    const bytesTo = (offset: number): number => {
      if (ascii) return offset - start;
      counted += utf8Length(text, at, offset);
      at = offset;
      return counted;
    };
    const total = ascii ? end - start : utf8Length(text, start, end);
    const tokenStarts = hasHeader ? [start, ...sections] : sections;
    for (let t = 0; t < tokenStarts.length; t++) {
      const tokenStart = bytesTo(tokenStarts[t]);
      if (total - tokenStart <= MAX_TOKEN - 1) return -1; // the rest fits, and the scanner sees EOF
      if (t + 1 === tokenStarts.length) return t;
      // The scanner must see the whole next section line, newline included, to end this token.
      const nextLine = tokenStarts[t + 1];
      const nextLineEnd = lineNext(text, nextLine);
      if (nextLineEnd === lineContentEnd(text, nextLine)) return t;
      bytesTo(nextLine);
      if (bytesTo(nextLineEnd) - tokenStart > MAX_TOKEN) return t;
    }
    return -1;
  }

  /** doHeader on the lines of text[from, to); returns the failure, if any. */
  private readHeader(from: number, to: number): Failure | undefined {
    const { text, collector } = this;
    // The header token is trimmed as a whole: blank lines after the last line with content never
    // reach the loop (blank lines before it are skipped by the loop itself, no key pending yet).
    const contentEnd = trimEndAt(text, from, to);

    let keyCont = '';
    let contParts: string[] = [];
    let continuedKeyValid = false;
    // The next `#` at or after the line at hand (text.length when there is none): found once for
    // all the lines before it, so the search never goes over the same text twice.
    let nextHash = -1;
    // Offsets, not [a, b] pairs: no array per line (code that V8 has not optimised pays for each).
    for (let line = from; line < contentEnd; line = lineNext(text, line)) {
      const lineEnd = lineContentEnd(text, line);
      const a = trimStartAt(text, line, lineEnd);
      const b = trimEndAt(text, a, lineEnd);
      if (a === b || text.charCodeAt(a) === 35) {
        // A continuation followed by a blank or comment line: Apptainer writes to a nil map.
        if (keyCont !== '') return { ok: false, error: 'panic: assignment to entry in nil map', panic: true };
        continue;
      }
      if (nextHash < a) {
        nextHash = text.indexOf('#', a);
        if (nextHash === -1) nextHash = text.length;
      }
      const cut = nextHash < b ? nextHash : b;
      const lineText = text.slice(a, cut);
      let key: string;
      let valid: boolean;
      if (contParts.length === 0) {
        const colon = lineText.indexOf(':');
        if (colon === -1) return failed(`header key ${lineText} had no val`);
        const ka = trimStartAt(text, a, a + colon);
        const va = trimStartAt(text, a + colon + 1, cut);
        key = text.slice(ka, trimEndAt(text, ka, a + colon)).toLowerCase();
        valid = isValidHeaderKey(key);
        contParts = [text.slice(va, trimEndAt(text, va, cut))];
      } else {
        key = keyCont;
        valid = continuedKeyValid;
        contParts.push(goTrimSpace(lineText));
      }
      if (continueHeaderValue(contParts)) {
        const tail = contParts[contParts.length - 1];
        keyCont = key;
        continuedKeyValid = valid;
        // `Key: \` with nothing before the backslash does not continue (the key stays stale).
        if (contParts.length === 1 && tail === '') contParts = [];
        continue;
      }
      keyCont = '';
      const value = contParts.length === 1 ? contParts[0] : contParts.join('');
      contParts = [];
      if (!valid) return failed(`invalid header keyword found: ${key}`);
      (collector.header ??= {})[key] = value;
    }
    return undefined;
  }

  /** parseTokenSection on the section line at offset `at` and its body lines up to offset `to`. */
  private readSection(at: number, to: number, trimmedToken: boolean): Failure | undefined {
    const { text, collector } = this;
    let lineStart = at;
    const lineEnd = lineContentEnd(text, at);
    const bodyStart = lineNext(text, at);
    // The body as Apptainer reads it: lines joined with \n, each line's final CR dropped, and a
    // newline after the last line.
    let body = '';
    if (bodyStart < to) {
      body = text.slice(bodyStart, to);
      if (body.includes('\r')) body = body.replace(/\r(?=\n|$)/g, '');
      if (text.charCodeAt(to - 1) !== 10) body += '\n';
    }
    if (trimmedToken) {
      // The first token of a headerless chunk is TrimSpace'd as a whole.
      lineStart = trimStartAt(text, lineStart, lineEnd);
      const token = goTrimSpace(text.slice(lineStart, lineEnd) + '\n' + body);
      const nl = token.indexOf('\n');
      if (nl === -1) {
        const shown = text.slice(lineStart, trimEndAt(text, lineStart, lineEnd));
        return { ok: false, error: `section ${shown}: could not be split into section name and body` };
      }
      body = token.slice(nl + 1);
    }

    let wordStart = lineStart;
    while (wordStart < lineEnd && text.charCodeAt(wordStart) === 37) wordStart++;
    // The section line from its name on, searched for its first space natively.
    const word = text.slice(wordStart, lineEnd);
    const space = word.indexOf(' ');
    const hasArgs = space !== -1;
    const name = (hasArgs ? word.slice(0, space) : word).toLowerCase();
    const args = hasArgs ? word.slice(space + 1) : '';

    if (name === 'files') {
      const files: { source: string; destination: string }[] = [];
      for (let line = bodyStart; line < to; line = lineNext(text, line)) {
        const lineEnd = lineContentEnd(text, line);
        const a = trimStartAt(text, line, lineEnd);
        const b = trimEndAt(text, a, lineEnd);
        if (a === b || text.charCodeAt(a) === 35) continue;
        const fields = text.slice(a, b).match(FILE_FIELD);
        // A line that is a lone double quote: Apptainer indexes an empty match list.
        if (fields === null) return { ok: false, error: 'panic: runtime error: index out of range [0] with length 0', panic: true };
        files.push({ source: trimQuotes(fields[0]), destination: fields.length > 1 ? trimQuotes(fields[1]) : '' });
      }
      collector.addFiles(args, files);
    } else if (APP_SECTIONS.has(name)) {
      // `%appX name [ignored]`: SplitN(line, " ", 3); the word keeps its case.
      const parts = splitN(word, ' ', 3);
      if (parts.length < 2) return { ok: false, error: `app section ${parts[0]}: could not be split into section name and app name` };
      const key = `${parts[0]} ${parts[1]}`;
      collector.addApp(parts[1]);
      collector.addScript(key, body, false, '');
      if (!APP_SECTIONS.has(parts[0])) collector.invalid.add(key);
    } else {
      collector.addScript(name, body, hasArgs, args);
      if (!STANDARD_SECTIONS.has(name)) collector.invalid.add(name);
    }
    return undefined;
  }
}
