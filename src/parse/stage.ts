// Interprets one stage chunk the way Apptainer's ParseDefinitionFile does (scanner tokens, header,
// sections, populateDefinition), and at the same time builds the positioned model with every
// problem, not only the first one Apptainer would stop at.
import type {
  ApptainerDefinition,
  ApptainerScript,
  ArgumentEntry,
  BodyLine,
  FileEntry,
  HeaderEntry,
  LabelEntry,
  ParseDiagnostic,
  Placeholder,
  Range,
  Section,
  SectionKind,
  ShellInfo,
  Stage,
} from './model.js';
import { ParseCode } from './codes.js';
import { continueHeaderValue, goFields, goTrimSpace, indexWithin, LineIndex, trimEndAt, trimStartAt, utf8Length } from './text.js';
import { findPlaceholders } from './template.js';

/** One physical line of the chunk. */
export interface Line {
  /** Offset of the first character. */
  start: number;
  /** Offset after the content (before `\r\n`/`\n`). */
  end: number;
  /** Offset after the terminator (start of the next line). */
  next: number;
  /** Whether the line starts a section (first word begins with `%`). */
  section: boolean;
  /** 1-based line number. */
  number: number;
}

export const STANDARD_SECTIONS = new Set(['help', 'setup', 'files', 'labels', 'environment', 'pre', 'post', 'runscript', 'test', 'startscript', 'arguments']);

export const APP_SECTIONS = new Set(['appinstall', 'applabels', 'appfiles', 'appenv', 'apptest', 'apphelp', 'apprun', 'appstart']);

export const HEADER_KEYS = new Set([
  'bootstrap',
  'from',
  'includecmd',
  'mirrorurl',
  'updateurl',
  'osversion',
  'include',
  'library',
  'registry',
  'namespace',
  'stage',
  'product',
  'user',
  'regcode',
  'productpgp',
  'registerurl',
  'modules',
  'otherurl&n',
  'fingerprints',
  'confurl',
  'setopt',
  'target',
  'frontend',
  'filename',
  'buildargs',
]);

export function isValidHeaderKey(key: string): boolean {
  return HEADER_KEYS.has(key) || HEADER_KEYS.has(key.replace(/[0-9]+$/, '&n'));
}

/** The outcome of Apptainer's ParseDefinitionFile on the chunk. */
export type ChunkResult =
  { ok: true; definition: ApptainerDefinition } | { ok: false; error: string; invalidSections?: string[]; panic?: boolean; empty?: boolean };

export interface InterpretedChunk {
  stage: Stage;
  result: ChunkResult;
  diagnostics: ParseDiagnostic[];
}

export const MAX_TOKEN = 64 * 1024;

// Go RE2 `\s` is [\t\n\f\r ], `\w` is ASCII: spelled out so JS does not widen them.
export const FILE_FIELD = /([^\t\n\f\r "']*\{\{[\t\n\f\r ]*\w+[\t\n\f\r ]*\}\}*[^\t\n\f\r {}"']*)+|([^\t\n\f\r "']+|"([^"]*)"|'([^']*))/g;

export function trimQuotes(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 34) a++;
  while (b > a && s.charCodeAt(b - 1) === 34) b--;
  return s.slice(a, b);
}

class ChunkInterpreter {
  readonly diagnostics: ParseDiagnostic[] = [];
  private firstError: Exclude<ChunkResult, { ok: true }> | undefined;

  constructor(
    private readonly text: string,
    private readonly index: LineIndex,
    private readonly lines: Line[],
    private readonly chunkStart: number,
    private readonly chunkEnd: number,
    private readonly stageIndex: number,
  ) {}

  private range(start: number, end: number): Range {
    return this.index.range(start, end);
  }

  private fail(error: string, extra: { invalidSections?: string[]; panic?: boolean } = {}): void {
    this.firstError ??= { ok: false, error, ...extra };
  }

  private diagnose(code: string, message: string, start: number, end: number, apptainerError?: string): ParseDiagnostic {
    const diagnostic: ParseDiagnostic = { code, severity: 'error', message, range: this.range(start, end), apptainerError };
    this.diagnostics.push(diagnostic);
    return diagnostic;
  }

  run(): InterpretedChunk {
    const { lines } = this;
    const firstSection = lines.findIndex((l) => l.section);
    const headerLines = firstSection === -1 ? lines : lines.slice(0, firstSection);
    const groups: Line[][] = [];
    if (firstSection !== -1) {
      let current: Line[] = [];
      for (let i = firstSection; i < lines.length; i++) {
        if (lines[i].section && current.length > 0) {
          groups.push(current);
          current = [];
        }
        current.push(lines[i]);
      }
      groups.push(current);
    }

    // Scanner tokens in order: the header (if any lines precede the first section), then sections.
    const tokens: Line[][] = headerLines.length > 0 ? [headerLines, ...groups] : groups;
    const tooLongAt = this.findTooLongToken(tokens);

    let header: HeaderEntry[] | null = null;
    let headerRange = this.range(this.chunkStart, this.chunkStart);
    const sections: Section[] = [];
    const collector = new DefinitionCollector();
    let tokenNumber = 0;
    const tokenTooLong = (): boolean => {
      if (tokenNumber === tooLongAt) {
        const token = tokens[tokenNumber];
        const start = token[0].start;
        const end = token[token.length - 1].end;
        this.diagnose(
          ParseCode.tokenTooLong,
          'this part of the file is larger than 64 KiB; Apptainer fails with "bufio.Scanner: token too long"',
          start,
          end,
          'bufio.Scanner: token too long',
        );
        this.fail('bufio.Scanner: token too long');
        return true;
      }
      return false;
    };

    if (headerLines.length > 0) {
      tokenTooLong();
      headerRange = this.range(headerLines[0].start, headerLines[headerLines.length - 1].end);
      const parsed = this.parseHeader(headerLines);
      header = parsed.entries;
      collector.header = parsed.stored;
      tokenNumber++;
    }
    groups.forEach((group, i) => {
      tokenTooLong();
      // Only a chunk whose very first line is a section line has its first token trimmed.
      const trimmed = i === 0 && headerLines.length === 0;
      const section = this.parseSection(group, trimmed, collector);
      if (section) sections.push(section);
      tokenNumber++;
    });

    const stage = this.buildStage(header, headerRange, sections, collector);
    const result = this.finish(collector, sections);
    return { stage, result, diagnostics: this.diagnostics };
  }

  /** Index of the first token that overflows bufio.Scanner's 64 KiB buffer, or -1. */
  private findTooLongToken(tokens: Line[][]): number {
    const { text, chunkEnd, lines } = this;
    // A UTF-16 unit is at most 3 UTF-8 bytes: small chunks cannot overflow.
    if ((chunkEnd - this.chunkStart) * 3 < MAX_TOKEN) return -1;
    // Byte offset of every line start (and of the chunk end), computed once: O(n) overall.
    const byteAt = new Map<number, number>();
    let bytes = 0;
    for (const line of lines) {
      byteAt.set(line.start, bytes);
      bytes += utf8Length(text, line.start, line.next);
    }
    byteAt.set(chunkEnd, bytes);
    const total = bytes;
    for (let i = 0; i < tokens.length; i++) {
      const start = byteAt.get(tokens[i][0].start)!;
      if (total - start <= MAX_TOKEN - 1) return -1; // the rest fits, and the scanner sees EOF
      const next = tokens[i + 1];
      if (!next) return i;
      // The scanner must see the whole next section line, newline included, to end this token.
      const nextLine = next[0];
      if (nextLine.next === nextLine.end) return i;
      if (byteAt.get(nextLine.next)! - start > MAX_TOKEN) return i;
    }
    return -1;
  }

  // ---- header (doHeader) ------------------------------------------------------------------

  /** The header token's lines without blank lines at either end, and the BOM diagnostic if any. */
  private headerExtent(lines: Line[]): { first: number; last: number; bom?: ParseDiagnostic } {
    const { text } = this;
    // The whole token is trimmed first: blank lines at either end never reach the loop.
    let first = 0;
    let last = lines.length - 1;
    const isBlank = (l: Line) => {
      const a = trimStartAt(text, l.start, l.end);
      const b = trimEndAt(text, a, l.end);
      return a === b;
    };
    while (first <= last && isBlank(lines[first])) first++;
    while (last >= first && isBlank(lines[last])) last--;
    if (first > last || text.charCodeAt(lines[first].start) !== 0xfeff) return { first, last };
    const start = lines[first].start;
    const bom = this.diagnose(
      ParseCode.byteOrderMark,
      'the file starts with a UTF-8 byte order mark, which Apptainer reads as part of the first header key',
      start,
      start + 1,
    );
    return { first, last, bom };
  }

  private parseHeader(lines: Line[]): { entries: HeaderEntry[] | null; stored: Record<string, string> | null } {
    const { text } = this;
    const entries: HeaderEntry[] = [];
    let stored: Record<string, string> | null = null;
    const { first, last, bom } = this.headerExtent(lines);

    let keyCont = '';
    // Pending continuation text, kept in pieces so long continued values stay linear to build.
    let contParts: string[] = [];
    let pending: HeaderEntry | undefined;
    let headerFailed = false;
    const failHeader = (message: string, panic = false) => {
      if (!headerFailed) {
        headerFailed = true;
        this.fail(panic ? message : `failed to parse deffile header: ${message}`, panic ? { panic } : {});
      }
    };
    const dropPending = () => {
      if (pending) {
        pending.value = contParts.join('');
        pending.dropped = true;
      }
      pending = undefined;
    };

    for (let i = first; i <= last; i++) {
      const line = lines[i];
      const a = trimStartAt(text, line.start, line.end);
      const b = trimEndAt(text, a, line.end);
      if (a === b || text.charCodeAt(a) === 35) {
        if (keyCont !== '') {
          const origin = pending?.range.start.offset ?? a;
          this.diagnose(
            ParseCode.headerContinuationCrash,
            `a header line ending in "\\" is followed by a ${a === b ? 'blank' : 'comment'} line: Apptainer crashes (panic: assignment to entry in nil map)`,
            origin,
            line.end,
            'panic: assignment to entry in nil map',
          );
          failHeader('panic: assignment to entry in nil map', true);
          keyCont = '';
          dropPending();
          contParts = [];
        }
        continue;
      }
      const hash = indexWithin(text, '#', a, b);
      const cut = hash !== -1 ? hash : b;
      const lineText = text.slice(a, cut);
      const comment = text.slice(cut, b);
      let key: string;
      let entry: HeaderEntry;
      if (contParts.length === 0) {
        const colon = lineText.indexOf(':');
        if (colon === -1) {
          const message = `header key ${lineText} had no val`;
          if (lineText === '\ufeff' && bom) bom.apptainerError = `failed to parse deffile header: ${message}`;
          else {
            this.diagnose(
              ParseCode.headerLineWithoutColon,
              `header line has no ":" (Apptainer: ${message})`,
              a,
              cut > a ? cut : b,
              `failed to parse deffile header: ${message}`,
            );
          }
          failHeader(message);
          continue;
        }
        entry = this.newHeaderEntry(a, b, a + colon, cut, comment);
        key = entry.key;
        contParts = [text.slice(entry.valueRange.start.offset, entry.valueRange.end.offset)];
      } else {
        entry = pending!;
        key = keyCont;
        contParts.push(goTrimSpace(lineText));
        entry.continued = true;
        entry.range = { start: entry.range.start, end: this.index.positionAt(b) };
        entry.valueRange = { start: entry.valueRange.start, end: this.index.positionAt(cut) };
      }
      if (continueHeaderValue(contParts)) {
        const tail = contParts[contParts.length - 1];
        keyCont = key;
        if (!pending) entries.push(entry);
        if (contParts.length === 1 && tail === '') {
          // `Key: \` with nothing before the backslash does not continue (the key stays stale).
          pending = entry;
          dropPending();
          contParts = [];
        } else {
          pending = entry;
        }
        continue;
      }
      keyCont = '';
      entry.value = contParts.join('');
      contParts = [];
      if (!pending) entries.push(entry);
      pending = undefined;
      if (!entry.valid) {
        const message = `invalid header keyword found: ${key}`;
        if (bom && entry.range.start.offset === lines[first].start && key.charCodeAt(0) === 0xfeff) {
          bom.apptainerError ??= `failed to parse deffile header: ${message}`;
        } else {
          this.diagnose(
            ParseCode.unknownHeaderKeyword,
            `unknown header keyword "${entry.rawKey}"`,
            entry.keyRange.start.offset,
            entry.keyRange.end.offset,
            `failed to parse deffile header: ${message}`,
          );
        }
        failHeader(message);
        continue;
      }
      stored ??= {};
      stored[key] = entry.value;
    }
    // A continuation still pending at the end of the header is silently dropped, key and all.
    dropPending();
    return { entries: entries.length > 0 ? entries : null, stored };
  }

  /** A header entry for the line [a, b) whose key ends at `colon` and whose value ends at `cut`. */
  private newHeaderEntry(a: number, b: number, colon: number, cut: number, comment: string): HeaderEntry {
    const { text } = this;
    const ka = trimStartAt(text, a, colon);
    const kb = trimEndAt(text, ka, colon);
    const va = trimStartAt(text, colon + 1, cut);
    const vb = trimEndAt(text, va, cut);
    const key = text.slice(ka, kb).toLowerCase();
    return {
      key,
      rawKey: text.slice(ka, kb),
      value: '',
      valid: isValidHeaderKey(key),
      continued: false,
      dropped: false,
      comment,
      range: this.range(a, b),
      keyRange: this.range(ka, kb),
      valueRange: this.range(va, vb),
    };
  }

  // ---- sections (parseTokenSection) -------------------------------------------------------

  private parseSection(group: Line[], trimmedToken: boolean, collector: DefinitionCollector): Section | undefined {
    const { text } = this;
    const line = group[0];
    let lineStart = line.start;
    let lineEnd = line.end;
    let bodyText: string;
    const bodyLines: BodyLine[] = group.slice(1).map((l) => ({
      text: text.slice(l.start, l.end),
      line: l.number,
      offset: l.start,
    }));
    const last = group[group.length - 1];

    if (trimmedToken) {
      // The first token of a headerless chunk is TrimSpace'd as a whole.
      lineStart = trimStartAt(text, line.start, line.end);
      const joined = [text.slice(lineStart, line.end), ...bodyLines.map((l) => l.text)].join('\n') + '\n';
      const token = goTrimSpace(joined);
      const nl = token.indexOf('\n');
      if (nl === -1) {
        lineEnd = trimEndAt(text, trimStartAt(text, lineStart, line.end), line.end);
        const shown = text.slice(lineStart, lineEnd);
        const message = `section ${shown}: could not be split into section name and body`;
        this.diagnose(
          ParseCode.firstSectionEmpty,
          `the file starts with ${shown} and an empty body: Apptainer rejects it ("${message}")`,
          lineStart,
          lineEnd,
          message,
        );
        this.fail(message);
        bodyText = '';
      } else {
        bodyText = token.slice(nl + 1);
      }
    } else if (group.length === 1) {
      bodyText = '';
    } else {
      // Lines joined with \n, each line's final CR dropped, and a newline after the last line.
      bodyText = text.slice(group[1].start, last.next);
      if (bodyText.includes('\r')) bodyText = bodyText.replace(/\r(?=\n|$)/g, '');
      if (text.charCodeAt(last.next - 1) !== 10) bodyText += '\n';
    }

    let wordStart = lineStart;
    while (wordStart < lineEnd && text.charCodeAt(wordStart) === 37) wordStart++;
    const space = indexWithin(text, ' ', wordStart, lineEnd);
    const hasArgs = space !== -1;
    const wordEnd = hasArgs ? space : lineEnd;
    const word = text.slice(wordStart, wordEnd);
    const name = word.toLowerCase();
    const args = hasArgs ? text.slice(space + 1, lineEnd) : '';

    const nameRange = this.range(wordStart, wordEnd);
    const section: Section = {
      kind: 'unknown',
      name,
      word,
      args,
      hasArgs,
      body: bodyText,
      bodyLines,
      range: this.range(lineStart, last.end),
      lineRange: this.range(lineStart, lineEnd),
      nameRange,
      argsRange: hasArgs ? this.range(space + 1, lineEnd) : undefined,
      bodyRange: group.length > 1 ? this.range(group[1].start, last.end) : this.range(lineEnd, lineEnd),
    };

    let kind: SectionKind;
    if (name === 'files') {
      kind = 'standard';
      section.files = this.parseFiles(bodyLines);
      const words = goFields(args.split('#')[0]);
      if (words.length === 2) section.fromStage = words[1];
      collector.addFiles(args, section.files);
    } else if (APP_SECTIONS.has(name)) {
      // `%appX name [ignored]`: SplitN(line, " ", 3); the word keeps its case.
      const parts = splitN(text.slice(wordStart, lineEnd), ' ', 3);
      if (parts.length < 2) {
        const message = `app section ${parts[0]}: could not be split into section name and app name`;
        this.diagnose(ParseCode.appSectionWithoutName, `%${parts[0]} needs an app name (Apptainer: ${message})`, lineStart, lineEnd, message);
        this.fail(message);
        return section;
      }
      section.app = parts[1];
      kind = APP_SECTIONS.has(parts[0]) ? 'app' : 'unknown';
      const key = `${parts[0]} ${parts[1]}`;
      collector.addApp(parts[1]);
      collector.addScript(key, bodyText, false, '');
      if (kind === 'unknown') collector.invalid.add(key);
    } else {
      kind = STANDARD_SECTIONS.has(name) ? 'standard' : 'unknown';
      collector.addScript(name, bodyText, hasArgs, args);
      if (kind === 'unknown') collector.invalid.add(name);
    }
    section.kind = kind;

    if (kind === 'unknown') {
      const tab = name.indexOf('\t');
      const beforeTab = tab === -1 ? '' : name.slice(0, tab);
      const from = name === '' ? lineStart : wordStart;
      const to = name === '' ? lineEnd : wordEnd;
      const shown = section.app !== undefined ? `${word} ${section.app}` : name;
      if (tab !== -1 && (STANDARD_SECTIONS.has(beforeTab) || APP_SECTIONS.has(beforeTab))) {
        this.diagnose(
          ParseCode.tabInSectionHeader,
          `a tab after %${beforeTab} becomes part of the section name ("${name.replace(/\t/g, '\\t')}"): use a space`,
          from,
          to,
          `invalid section(s) specified: ${shown}`,
        );
      } else {
        const what = name === '' ? 'an empty section name (a lone "%" or an indented section line)' : `"%${shown}"`;
        this.diagnose(ParseCode.unknownSection, `unknown section ${what}`, from, to, `invalid section(s) specified: ${shown}`);
      }
    } else if (name === 'labels' || name === 'applabels') {
      section.labels = this.parseLabels(bodyLines);
    } else if (name === 'arguments') {
      section.arguments = this.parseArguments(bodyLines);
    } else if (name === 'appfiles') {
      section.files = this.parseAppFiles(bodyLines);
    }
    return section;
  }

  private parseFiles(bodyLines: BodyLine[]): FileEntry[] {
    const { text } = this;
    const entries: FileEntry[] = [];
    const bounds = entryLines(text, bodyLines);
    for (let e = 0; e < bounds.length; e += 2) {
      const a = bounds[e];
      const b = bounds[e + 1];
      const lineText = text.slice(a, b);
      const matches = [...lineText.matchAll(FILE_FIELD)];
      if (matches.length === 0) {
        this.diagnose(
          ParseCode.filesLoneQuoteCrash,
          'a %files line that is a lone double quote makes Apptainer crash (index out of range)',
          a,
          b,
          'panic: runtime error: index out of range [0] with length 0',
        );
        this.fail('panic: runtime error: index out of range [0] with length 0', { panic: true });
        continue;
      }
      const at = (m: RegExpMatchArray) => this.range(a + m.index!, a + m.index! + m[0].length);
      entries.push({
        source: trimQuotes(matches[0][0]),
        destination: matches.length > 1 ? trimQuotes(matches[1][0]) : '',
        extra: matches.slice(2).map((m) => m[0]),
        range: this.range(a, b),
        sourceRange: at(matches[0]),
        destinationRange: matches.length > 1 ? at(matches[1]) : undefined,
      });
    }
    return entries;
  }

  /** %appfiles: lines cut at `#`, split at the first space (no quote handling). */
  private parseAppFiles(bodyLines: BodyLine[]): FileEntry[] {
    const { text } = this;
    const entries: FileEntry[] = [];
    const bounds = entryLines(text, bodyLines);
    for (let e = 0; e < bounds.length; e += 2) {
      const a = bounds[e];
      const b0 = bounds[e + 1];
      const hash = indexWithin(text, '#', a, b0);
      const b = hash !== -1 ? trimEndAt(text, trimStartAt(text, a, hash), hash) : b0;
      const space = indexWithin(text, ' ', a, b);
      const srcEnd = space !== -1 ? space : b;
      const da = trimStartAt(text, srcEnd, b);
      const db = trimEndAt(text, da, b);
      entries.push({
        source: text.slice(a, srcEnd),
        destination: text.slice(da, db),
        extra: [],
        range: this.range(a, b),
        sourceRange: this.range(a, srcEnd),
        destinationRange: da < db ? this.range(da, db) : undefined,
      });
    }
    return entries;
  }

  private parseLabels(bodyLines: BodyLine[]): LabelEntry[] {
    const { text } = this;
    const labels: LabelEntry[] = [];
    const bounds = entryLines(text, bodyLines);
    for (let e = 0; e < bounds.length; e += 2) {
      const a = bounds[e];
      const b = bounds[e + 1];
      const space = indexWithin(text, ' ', a, b);
      if (space === -1) {
        labels.push({ key: text.slice(a, b), value: '', range: this.range(a, b), keyRange: this.range(a, b) });
        continue;
      }
      const ka = trimStartAt(text, a, space);
      const kb = trimEndAt(text, ka, space);
      const va = trimStartAt(text, space + 1, b);
      const vb = trimEndAt(text, va, b);
      labels.push({
        key: text.slice(ka, kb),
        value: text.slice(va, vb),
        range: this.range(a, b),
        keyRange: this.range(ka, kb),
        valueRange: this.range(va, vb),
      });
    }
    return labels;
  }

  private parseArguments(bodyLines: BodyLine[]): ArgumentEntry[] {
    const { text } = this;
    const entries: ArgumentEntry[] = [];
    const bounds = entryLines(text, bodyLines);
    for (let e = 0; e < bounds.length; e += 2) {
      const a = bounds[e];
      const b = bounds[e + 1];
      const line = text.slice(a, b);
      const eq = line.indexOf('=');
      if (eq === -1) {
        entries.push({ key: '', value: '', range: this.range(a, b), problem: `"${line}" is not a key=value pair` });
        continue;
      }
      const key = goTrimSpace(line.slice(0, eq));
      const value = goTrimSpace(line.slice(eq + 1));
      entries.push({
        key,
        value,
        range: this.range(a, b),
        problem: key === '' ? `missing key portion in "${line}"` : undefined,
      });
    }
    return entries;
  }

  // ---- stage model and populateDefinition --------------------------------------------------

  private buildStage(header: HeaderEntry[] | null, headerRange: Range, sections: Section[], collector: DefinitionCollector): Stage {
    const headerValues: Record<string, string> = {};
    for (const e of header ?? []) if (e.valid && !e.dropped) headerValues[e.key] = e.value;
    const argumentDefaults: Record<string, string> = {};
    for (const s of sections) {
      if (s.name !== 'arguments' || s.kind !== 'standard') continue;
      for (const a of s.arguments ?? []) if (!a.problem) argumentDefaults[a.key] = a.value;
    }
    const stage: Stage = {
      index: this.stageIndex,
      range: this.range(this.chunkStart, this.chunkEnd),
      header: header && header.length > 0 ? header : null,
      headerValues,
      headerRange,
      sections,
      name: headerValues.stage,
      bootstrap: headerValues.bootstrap,
      placeholders: findPlaceholders(this.text, this.chunkStart, this.chunkEnd).map((p): Placeholder => ({
        name: p.name,
        skipped: p.skipped,
        range: this.range(p.start, p.end),
      })),
      argumentDefaults,
      appOrder: [...collector.appOrder],
      empty: false,
    };
    assignShells(stage, collector);
    return stage;
  }

  private finish(collector: DefinitionCollector, sections: Section[]): ChunkResult {
    if (this.firstError) return this.firstError;
    if (collector.invalid.size > 0) {
      const names = [...collector.invalid].sort();
      return { ok: false, error: `invalid section(s) specified: ${names.join(', ')}`, invalidSections: names };
    }
    const definition = collector.definition();
    if (isEmptyDefinition(definition)) {
      return { ok: false, error: 'empty definition file', empty: true };
    }
    void sections;
    return { ok: true, definition };
  }
}

/**
 * The trimmed bounds of the body lines that hold entries (%files, %labels, %arguments), as from, to
 * pairs in one flat array: blank and `#` lines are skipped. (A generator of [from, to] arrays cost an
 * iterator and an array per line in code that V8 has not optimised.)
 */
function entryLines(text: string, bodyLines: readonly BodyLine[]): number[] {
  const bounds: number[] = [];
  for (let i = 0; i < bodyLines.length; i++) {
    const line = bodyLines[i];
    const end = line.offset + line.text.length;
    const a = trimStartAt(text, line.offset, end);
    const b = trimEndAt(text, a, end);
    if (a !== b && text.charCodeAt(a) !== 35) bounds.push(a, b);
  }
  return bounds;
}

export function splitN(s: string, sep: string, n: number): string[] {
  const parts: string[] = [];
  let rest = s;
  while (parts.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i === -1) break;
    parts.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  parts.push(rest);
  return parts;
}

/** Accumulates what populateDefinition sees: scripts by key, %files blocks, app order. */
export class DefinitionCollector {
  header: Record<string, string> | null = null;
  readonly scripts = new Map<string, { args: string; script: string }>();
  readonly files: { args: string; files: { source: string; destination: string }[] | null }[] = [];
  // Made on first use: most stages have neither %files nor apps (a Map or Set per stage is not free).
  private filesByArgs: Map<string, (typeof this.files)[number]> | undefined;
  readonly appOrder: string[] = [];
  private apps: Set<string> | undefined;
  readonly invalid = new Set<string>();

  addScript(key: string, body: string, hasArgs: boolean, args: string): void {
    let script = this.scripts.get(key);
    if (!script) this.scripts.set(key, (script = { args: '', script: '' }));
    script.script += body;
    if (hasArgs) script.args = args;
  }

  addFiles(args: string, entries: readonly { source: string; destination: string }[]): void {
    const list = entries.map((e) => ({ source: e.source, destination: e.destination }));
    const existing = this.filesByArgs?.get(args);
    if (existing) {
      if (list.length > 0) (existing.files ??= []).push(...list);
      return;
    }
    const block = { args, files: list.length > 0 ? list : null };
    (this.filesByArgs ??= new Map()).set(args, block);
    this.files.push(block);
  }

  addApp(name: string): void {
    const apps = (this.apps ??= new Set());
    if (!apps.has(name)) {
      apps.add(name);
      this.appOrder.push(name);
    }
  }

  script(key: string): { args: string; script: string } {
    const s = this.scripts.get(key);
    return s ? { args: s.args, script: s.script } : { args: '', script: '' };
  }

  definition(): ApptainerDefinition {
    // Built once per stage on every parse path (the CLI's apptainer-json output too), mostly in code
    // V8 has not optimised: no entry arrays from iterating the Map, no per-label pairs, no spreads.
    let customData: Record<string, string> | null = null;
    this.scripts.forEach((value, key) => {
      if (STANDARD_SECTIONS.has(key)) return;
      const space = key.indexOf(' ');
      if (APP_SECTIONS.has(space === -1 ? key : key.slice(0, space))) (customData ??= {})[key] = value.script;
    });
    const labels: Record<string, string> = {};
    const labelText = this.scripts.get('labels')?.script;
    if (labelText) readLabels(labelText, labels);
    const test = this.script('test');
    return {
      header: this.header,
      imageData: {
        metadata: null,
        labels,
        imageScripts: {
          help: this.script('help'),
          environment: this.script('environment'),
          runScript: this.script('runscript'),
          test,
          startScript: this.script('startscript'),
        },
      },
      buildData: {
        files: this.files,
        buildScripts: {
          pre: this.script('pre'),
          setup: this.script('setup'),
          post: this.script('post'),
          test: { args: test.args, script: test.script },
          arguments: this.script('arguments'),
        },
      },
      customData,
      appOrder: this.appOrder.slice(),
    };
  }
}

/**
 * Apptainer's GetLabels on a merged %labels body, into `labels`: each line trimmed (Go spaces), blank
 * and `#` lines skipped, the key before the first space and the value after it, both trimmed; a later
 * key wins. Trimming the whole body first, as Apptainer does, changes no line that is kept.
 */
export function readLabels(content: string, labels: Record<string, string>): void {
  for (let start = 0; start < content.length;) {
    let nl = content.indexOf('\n', start);
    if (nl === -1) nl = content.length;
    const a = trimStartAt(content, start, nl);
    const b = trimEndAt(content, a, nl);
    start = nl + 1;
    if (a === b || content.charCodeAt(a) === 35) continue;
    const space = content.indexOf(' ', a);
    if (space === -1 || space >= b) labels[content.slice(a, b)] = '';
    else labels[content.slice(a, trimEndAt(content, a, space))] = content.slice(trimStartAt(content, space + 1, b), b);
  }
}

const isEmptyScript = (s: ApptainerScript): boolean => s.args === '' && s.script === '';

function hasKeys(record: Record<string, string>): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return true;
  return false;
}

export function isEmptyDefinition(d: ApptainerDefinition): boolean {
  const image = d.imageData.imageScripts;
  const build = d.buildData.buildScripts;
  return (
    d.header === null &&
    d.buildData.files.length === 0 &&
    (d.customData === null || !hasKeys(d.customData)) &&
    !hasKeys(d.imageData.labels) &&
    isEmptyScript(image.help) &&
    isEmptyScript(image.environment) &&
    isEmptyScript(image.runScript) &&
    isEmptyScript(image.test) &&
    isEmptyScript(image.startScript) &&
    isEmptyScript(build.pre) &&
    isEmptyScript(build.setup) &&
    isEmptyScript(build.post) &&
    isEmptyScript(build.arguments)
  );
}

// ---- shells ---------------------------------------------------------------------------------

const HOST_OR_BUILD_SCRIPTS = new Set(['pre', 'setup', 'post']);
const SHEBANG_SCRIPTS = new Set(['runscript', 'startscript', 'test']);
const FIXED_SH_APP_SCRIPTS = new Set(['apprun', 'apptest', 'appstart']);

function dialectOf(interpreter: string): ShellInfo['dialect'] {
  const words = interpreter.trim().split(/\s+/);
  let cmd = words[0] ?? '';
  if (cmd.endsWith('/env') || cmd === 'env') cmd = words.find((w, i) => i > 0 && !w.startsWith('-')) ?? '';
  const base = cmd.slice(cmd.lastIndexOf('/') + 1);
  if (base === 'sh' || base === 'bash' || base === 'dash' || base === 'ksh' || base === 'zsh') return base;
  if (base === 'mksh' || base === 'pdksh') return 'ksh';
  if (base === 'ash' || base === 'busybox') return 'sh';
  return 'other';
}

function hasShortFlag(words: string[], flag: string): boolean {
  return words.some((w) => /^-[a-zA-Z]+$/.test(w) && w.includes(flag));
}

/** How `%pre`/`%setup`/`%post` run: `/bin/sh -ex [args] script`, or `-c "SHELL... script"`. */
export function buildScriptShell(args: string, scriptPath: string): ShellInfo {
  const words = goFields(args.split('#')[0]);
  const c = words.indexOf('-c');
  if (c === -1) {
    const cmd = ['/bin/sh', '-ex', ...words, scriptPath].join(' ');
    return { interpreter: '/bin/sh', dialect: 'sh', source: 'default', errexit: !words.includes('+e'), commandLine: cmd };
  }
  const inner = words.slice(c + 1);
  const interpreter = inner.join(' ');
  const cmd = ['/bin/sh', '-ex', ...words.slice(0, c), '-c', `"${interpreter} ${scriptPath}"`].join(' ');
  const flags = inner.slice(1);
  const errexit = hasShortFlag(flags, 'e') || flags.some((w, i) => w === '-o' && flags[i + 1] === 'errexit');
  return { interpreter: interpreter || '(missing)', dialect: dialectOf(interpreter), source: 'args', errexit, commandLine: cmd };
}

/** How `%runscript`/`%startscript`/`%test` run: the first body line if the body starts with `#!`. */
export function shebangScriptShell(body: string, args: string, scriptPath: string): ShellInfo {
  let shebang = '#!/bin/sh';
  let source: ShellInfo['source'] = 'default';
  if (goTrimSpace(body).startsWith('#!')) {
    const nl = body.indexOf('\n');
    shebang = goTrimSpace(nl === -1 ? body : body.slice(0, nl));
    source = 'shebang';
  }
  const extra = goTrimSpace(args.split('#')[0]);
  if (extra !== '') shebang += ' ' + extra;
  const interpreter = shebang.startsWith('#!') ? shebang.slice(2).trim() : '';
  const words = interpreter.split(/\s+/).slice(1);
  return {
    interpreter: interpreter || '(none)',
    dialect: interpreter ? dialectOf(interpreter) : 'other',
    source,
    errexit: hasShortFlag(words, 'e'),
    commandLine: `${shebang} (${scriptPath})`,
  };
}

function assignShells(stage: Stage, collector: DefinitionCollector): void {
  // Every occurrence of a section runs the same way (merged args and body): decide once per name.
  const byName = new Map<string, ShellInfo | undefined>();
  const shellFor = (name: string): ShellInfo | undefined => {
    if (HOST_OR_BUILD_SCRIPTS.has(name)) return buildScriptShell(collector.script(name).args, `/.${name}.script`);
    // App installs are appended to %post and run with its interpreter and arguments.
    if (name === 'appinstall') return buildScriptShell(collector.script('post').args, '/.post.script');
    if (SHEBANG_SCRIPTS.has(name)) {
      const merged = collector.script(name);
      return shebangScriptShell(merged.script, merged.args, `/.singularity.d/${name}`);
    }
    if (FIXED_SH_APP_SCRIPTS.has(name)) {
      return { interpreter: '/bin/sh', dialect: 'sh', source: 'default', errexit: false, commandLine: '#!/bin/sh' };
    }
    if (name === 'environment' || name === 'appenv') {
      // Sourced at run time by Apptainer's embedded shell interpreter (mvdan.cc/sh, bash syntax; the
      // action script in internal/pkg/util/fs/files/action_scripts.go), not by the image's /bin/sh.
      return {
        interpreter: 'apptainer (embedded shell)',
        dialect: 'bash',
        source: 'default',
        errexit: false,
        commandLine: ". (sourced by Apptainer's embedded shell interpreter)",
      };
    }
    return undefined;
  };
  for (const s of stage.sections) {
    if (s.kind === 'unknown') continue;
    if (!byName.has(s.name)) byName.set(s.name, shellFor(s.name));
    const shell = byName.get(s.name);
    if (shell) s.shell = { ...shell };
  }
}

export function interpretChunk(text: string, index: LineIndex, lines: Line[], chunkStart: number, chunkEnd: number, stageIndex: number): InterpretedChunk {
  return new ChunkInterpreter(text, index, lines, chunkStart, chunkEnd, stageIndex).run();
}
