// Apptainer's `parser.All` result alone, without the positioned model: what `apptainer-gen parse
// --format apptainer-json` prints. It follows the same steps as the full interpreter in stage.ts
// (cut at `bootstrap:` lines, scanner tokens, doHeader, parseTokenSection, populateDefinition) but
// builds no ranges, diagnostics, placeholders or shells, and stops at the first error, as Apptainer
// does. test/parse/apptainer-result.test.ts holds it equal to `parse(text).apptainer`.
import { isSectionStart, isStageStart } from '../../grammar/lines.js';
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
import { continueHeaderValue, goTrimSpace, indexWithin, trimBounds, utf8Length } from './text.js';

const EMPTY_LINE = 0;
const TEXT_LINE = 1;
const SECTION_LINE = 2;
const STAGE_LINE = 3;

/** The physical lines of a text: content start and end, the next line's start, and the kind. */
interface Lines {
  count: number;
  start: Int32Array;
  end: Int32Array;
  next: Int32Array;
  kind: Uint8Array;
}

// Reused from file to file (a CLI run parses thousands): one allocation instead of four per file.
let shared: Lines = { count: 0, start: new Int32Array(1024), end: new Int32Array(1024), next: new Int32Array(1024), kind: new Uint8Array(1024) };

function grow(lines: Lines): Lines {
  const size = lines.start.length * 2;
  const bigger = { count: lines.count, start: new Int32Array(size), end: new Int32Array(size), next: new Int32Array(size), kind: new Uint8Array(size) };
  bigger.start.set(lines.start);
  bigger.end.set(lines.end);
  bigger.next.set(lines.next);
  bigger.kind.set(lines.kind);
  return bigger;
}

function scanLines(text: string): Lines {
  let lines = shared;
  let count = 0;
  let start = 0;
  while (start < text.length) {
    if (count === lines.start.length) lines = shared = grow(lines);
    const nl = text.indexOf('\n', start);
    const next = nl === -1 ? text.length : nl + 1;
    let end = nl === -1 ? text.length : nl;
    // bufio.ScanLines drops one CR before the newline (or at the very end), as lineContentEnd does.
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    lines.start[count] = start;
    lines.end[count] = end;
    lines.next[count] = next;
    lines.kind[count] = end === start ? EMPTY_LINE : isStageStart(text, start) ? STAGE_LINE : isSectionStart(text, start, end) ? SECTION_LINE : TEXT_LINE;
    count++;
    start = next;
  }
  lines.count = count;
  return lines;
}

type Failure = Exclude<ChunkResult, { ok: true }>;
const EMPTY: Failure = { ok: false, error: 'empty definition file', empty: true };

export function parseApptainerResult(text: string): ApptainerResult {
  const lines = scanLines(text);
  const defs = [];
  let chunkStart = 0;
  const count = lines.count;
  for (let i = 0; i <= count; i++) {
    if (i < count && (lines.kind[i] !== STAGE_LINE || i === chunkStart)) continue;
    if (i > chunkStart) {
      const result = new ChunkReader(text, lines, chunkStart, i).read();
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
    chunkStart = i;
  }
  return defs.length > 0 ? { ok: true, defs } : { ok: false, error: 'no stages found in definition file' };
}

/** One stage chunk, lines [first, end). */
class ChunkReader {
  private readonly collector = new DefinitionCollector();

  constructor(
    private readonly text: string,
    private readonly lines: Lines,
    private readonly first: number,
    private readonly end: number,
  ) {}

  read(): ChunkResult {
    const { lines, first, end } = this;
    let firstSection = first;
    while (firstSection < end && lines.kind[firstSection] !== SECTION_LINE) firstSection++;
    // Scanner tokens: the header (lines before the first section line), then one per section.
    const tokenStarts: number[] = [];
    if (firstSection > first) tokenStarts.push(first);
    for (let i = firstSection; i < end; i++) if (lines.kind[i] === SECTION_LINE) tokenStarts.push(i);
    const tooLongAt = this.findTooLongToken(tokenStarts);
    const tooLong: Failure = { ok: false, error: 'bufio.Scanner: token too long' };

    let token = 0;
    if (firstSection > first) {
      if (tooLongAt === token) return tooLong;
      const failure = this.readHeader(first, firstSection);
      if (failure) return failure;
      token++;
    }
    for (let i = firstSection; i < end; token++) {
      if (tooLongAt === token) return tooLong;
      let groupEnd = i + 1;
      while (groupEnd < end && lines.kind[groupEnd] !== SECTION_LINE) groupEnd++;
      const failure = this.readSection(i, groupEnd, i === first);
      if (failure) return failure;
      i = groupEnd;
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
  private findTooLongToken(tokenStarts: number[]): number {
    const { text, lines, first, end } = this;
    const chunkStartOffset = lines.start[first];
    const chunkEndOffset = lines.next[end - 1];
    // A UTF-16 unit is at most 3 UTF-8 bytes: small chunks cannot overflow.
    if ((chunkEndOffset - chunkStartOffset) * 3 < MAX_TOKEN) return -1;
    const byteAt: number[] = [];
    let bytes = 0;
    for (let i = first; i < end; i++) {
      byteAt[i - first] = bytes;
      bytes += utf8Length(text, lines.start[i], lines.next[i]);
    }
    byteAt[end - first] = bytes;
    for (let t = 0; t < tokenStarts.length; t++) {
      const start = byteAt[tokenStarts[t] - first];
      if (bytes - start <= MAX_TOKEN - 1) return -1; // the rest fits, and the scanner sees EOF
      if (t + 1 === tokenStarts.length) return t;
      // The scanner must see the whole next section line, newline included, to end this token.
      const nextLine = tokenStarts[t + 1];
      if (lines.next[nextLine] === lines.end[nextLine]) return t;
      if (byteAt[nextLine + 1 - first] - start > MAX_TOKEN) return t;
    }
    return -1;
  }

  /** doHeader on lines [from, to); returns the failure, if any. */
  private readHeader(from: number, to: number): Failure | undefined {
    const { text, lines, collector } = this;
    const isBlank = (i: number) => {
      const [a, b] = trimBounds(text, lines.start[i], lines.end[i]);
      return a === b;
    };
    let firstLine = from;
    let lastLine = to - 1;
    while (firstLine <= lastLine && isBlank(firstLine)) firstLine++;
    while (lastLine >= firstLine && isBlank(lastLine)) lastLine--;

    const failed = (message: string): Failure => ({ ok: false, error: `failed to parse deffile header: ${message}` });
    let keyCont = '';
    let contParts: string[] = [];
    let continuedKeyValid = false;
    for (let i = firstLine; i <= lastLine; i++) {
      const [a, b] = trimBounds(text, lines.start[i], lines.end[i]);
      if (a === b || text.charCodeAt(a) === 35) {
        // A continuation followed by a blank or comment line: Apptainer writes to a nil map.
        if (keyCont !== '') return { ok: false, error: 'panic: assignment to entry in nil map', panic: true };
        continue;
      }
      const hash = indexWithin(text, '#', a, b);
      const cut = hash !== -1 ? hash : b;
      const lineText = text.slice(a, cut);
      let key: string;
      let valid: boolean;
      if (contParts.length === 0) {
        const colon = lineText.indexOf(':');
        if (colon === -1) return failed(`header key ${lineText} had no val`);
        const [ka, kb] = trimBounds(text, a, a + colon);
        const [va, vb] = trimBounds(text, a + colon + 1, cut);
        key = text.slice(ka, kb).toLowerCase();
        valid = isValidHeaderKey(key);
        contParts = [text.slice(va, vb)];
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
      const value = contParts.join('');
      contParts = [];
      if (!valid) return failed(`invalid header keyword found: ${key}`);
      (collector.header ??= {})[key] = value;
    }
    return undefined;
  }

  /** parseTokenSection on the section line `at` and its body lines up to `to`. */
  private readSection(at: number, to: number, trimmedToken: boolean): Failure | undefined {
    const { text, lines, collector } = this;
    let lineStart = lines.start[at];
    const lineEnd = lines.end[at];
    let body: string;
    if (trimmedToken) {
      // The first token of a headerless chunk is TrimSpace'd as a whole.
      [lineStart] = trimBounds(text, lineStart, lineEnd);
      const parts = [text.slice(lineStart, lineEnd)];
      for (let i = at + 1; i < to; i++) parts.push(text.slice(lines.start[i], lines.end[i]));
      const token = goTrimSpace(parts.join('\n') + '\n');
      const nl = token.indexOf('\n');
      if (nl === -1) {
        const shown = text.slice(lineStart, trimBounds(text, lineStart, lineEnd)[1]);
        return { ok: false, error: `section ${shown}: could not be split into section name and body` };
      }
      body = token.slice(nl + 1);
    } else if (to === at + 1) {
      body = '';
    } else {
      // Lines joined with \n, each line's final CR dropped, and a newline after the last line.
      const bodyEnd = lines.next[to - 1];
      body = text.slice(lines.start[at + 1], bodyEnd);
      if (body.includes('\r')) body = body.replace(/\r(?=\n|$)/g, '');
      if (text.charCodeAt(bodyEnd - 1) !== 10) body += '\n';
    }

    let wordStart = lineStart;
    while (wordStart < lineEnd && text.charCodeAt(wordStart) === 37) wordStart++;
    const space = indexWithin(text, ' ', wordStart, lineEnd);
    const hasArgs = space !== -1;
    const name = text.slice(wordStart, hasArgs ? space : lineEnd).toLowerCase();
    const args = hasArgs ? text.slice(space + 1, lineEnd) : '';

    if (name === 'files') {
      const files: { source: string; destination: string }[] = [];
      for (let i = at + 1; i < to; i++) {
        const [a, b] = trimBounds(text, lines.start[i], lines.end[i]);
        if (a === b || text.charCodeAt(a) === 35) continue;
        const fields = text.slice(a, b).match(FILE_FIELD);
        // A line that is a lone double quote: Apptainer indexes an empty match list.
        if (fields === null) return { ok: false, error: 'panic: runtime error: index out of range [0] with length 0', panic: true };
        files.push({ source: trimQuotes(fields[0]), destination: fields.length > 1 ? trimQuotes(fields[1]) : '' });
      }
      collector.addFiles(args, files);
    } else if (APP_SECTIONS.has(name)) {
      // `%appX name [ignored]`: SplitN(line, " ", 3); the word keeps its case.
      const parts = splitN(text.slice(wordStart, lineEnd), ' ', 3);
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
