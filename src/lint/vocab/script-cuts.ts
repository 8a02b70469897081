// Finds section-start lines that really belong to the script above them: a `%` line inside an
// open heredoc, after a `\` continuation, or indented inside a script. Apptainer cuts the
// script there (any line whose first word starts with `%` starts a section).
import type { ParsedFile, Section } from '../../parse/model.js';
import { isShellSection } from './sections.js';
import { sectionLineText } from './text.js';

export type CutReason = 'heredoc' | 'continuation' | 'indented';

export interface ScriptCut {
  /** The section Apptainer starts at the `%` line. */
  section: Section;
  /** The script section that was cut. */
  script: Section;
  reason: CutReason;
  /** Heredoc delimiter, for `heredoc`. */
  delimiter?: string;
}

interface Heredoc {
  delimiter: string;
  stripTabs: boolean;
}

interface ScanState {
  heredocs: Heredoc[];
  continued: boolean;
}

/** Heredoc operators (`<<EOF`, `<<-'EOF'`, `<< "EOF"`) outside quotes and comments on one line. */
function heredocsOnLine(line: string): Heredoc[] {
  // Every script line comes here, most without a heredoc: no walk over their characters.
  if (!line.includes('<<')) return [];
  const found: Heredoc[] = [];
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      continue;
    }
    if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]))) break;
    if (ch === '(' && line[i + 1] === '(') return found; // arithmetic: `<<` is a shift
    if (ch !== '<' || line[i + 1] !== '<' || line[i + 2] === '<' || line[i - 1] === '<') continue;
    let j = i + 2;
    let stripTabs = false;
    if (line[j] === '-') {
      stripTabs = true;
      j++;
    }
    while (line[j] === ' ' || line[j] === '\t') j++;
    const match = /^(?:'([^']*)'|"([^"]*)"|\\?([A-Za-z_][\w.-]*))/.exec(line.slice(j));
    if (match) {
      found.push({ delimiter: match[1] ?? match[2] ?? match[3], stripTabs });
      i = j + match[0].length - 1;
    } else {
      i = j - 1;
    }
  }
  return found;
}

function endsWithContinuation(line: string): boolean {
  if (line.charCodeAt(line.length - 1) !== 92) return false; // no backslash at the end
  const trailing = /\\+$/.exec(line);
  return trailing !== null && trailing[0].length % 2 === 1;
}

/** Feeds script lines through the heredoc/continuation state machine. */
function scan(lines: readonly string[], state: ScanState): void {
  for (const line of lines) {
    if (state.heredocs.length > 0) {
      const open = state.heredocs[0];
      // Lenient on indentation: an indented terminator is what the author meant, even where
      // bash would not accept it; the point here is only to know where the heredoc text ends.
      if (line.trim() === open.delimiter) state.heredocs.shift();
      continue;
    }
    const trimmed = line.trim();
    if (trimmed.startsWith('#') && !state.continued) continue;
    state.heredocs.push(...heredocsOnLine(line));
    state.continued = endsWithContinuation(line);
  }
}

/**
 * The state after a script body scanned from the start (no heredoc open, no continuation), kept
 * by body text: a body's scan depends on its text alone, and the language server finds the same
 * bodies again on every edit. Bounded by total key length; emptied when full.
 */
const bodyScans = new Map<string, { heredocs: readonly Heredoc[]; continued: boolean }>();
let bodyScanChars = 0;
const BODY_SCAN_MAX_CHARS = 4 * 1024 * 1024;

function scannedBody(file: ParsedFile, section: Section): ScanState {
  const key = bodyKey(file, section);
  // Without `<<` no heredoc opens, and without a backslash no line continues: nothing to scan or keep.
  if (!key.includes('<<') && !key.includes('\\')) return { heredocs: [], continued: false };
  let done = bodyScans.get(key);
  if (!done) {
    const state: ScanState = { heredocs: [], continued: false };
    scan(
      section.bodyLines.map((body) => body.text),
      state,
    );
    if (bodyScanChars + key.length > BODY_SCAN_MAX_CHARS) {
      bodyScans.clear();
      bodyScanChars = 0;
    }
    done = { heredocs: [...state.heredocs], continued: state.continued };
    bodyScans.set(key, done);
    bodyScanChars += key.length;
  }
  // The caller goes on scanning into this state when the next section cuts the script.
  return { heredocs: [...done.heredocs], continued: done.continued };
}

/**
 * A section's body lines joined by `\n`: cut out of the file in one piece when that is what the
 * file holds between them (the usual case), joined line by line otherwise (CRLF).
 */
function bodyKey(file: ParsedFile, section: Section): string {
  const lines = section.bodyLines;
  if (lines.length === 0) return '';
  const { text } = file;
  for (let i = 1; i < lines.length; i++) {
    const previous = lines[i - 1];
    if (lines[i].offset !== previous.offset + previous.text.length + 1 || text.charCodeAt(lines[i].offset - 1) !== 10) {
      return lines.map((line) => line.text).join('\n');
    }
  }
  const last = lines[lines.length - 1];
  return text.slice(lines[0].offset, last.offset + last.text.length);
}

/** Offset of the last line of [start, end) whose trimmed text is `delimiter` (-1 if none), cached per stage. */
function lastDelimiterLine(text: string, start: number, end: number, delimiter: string, cache: Map<string, number>): number {
  const cached = cache.get(delimiter);
  if (cached !== undefined) return cached;
  let found = -1;
  let lineStart = start;
  while (lineStart < end) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > end) lineEnd = end;
    if (text.slice(lineStart, lineEnd).trim() === delimiter) found = lineStart;
    lineStart = lineEnd + 1;
  }
  cache.set(delimiter, found);
  return found;
}

const cutsCache = new WeakMap<ParsedFile, readonly ScriptCut[]>();

/** Every section line that cuts a shell script, in file order. */
export function findScriptCuts(file: ParsedFile): ScriptCut[] {
  // Several rules ask during one lint: scanned once per parsed file, a fresh copy per caller.
  let cuts = cutsCache.get(file);
  if (!cuts) {
    cuts = computeScriptCuts(file);
    cutsCache.set(file, cuts);
  }
  return cuts.map((cut) => ({ ...cut }));
}

function computeScriptCuts(file: ParsedFile): ScriptCut[] {
  const cuts: ScriptCut[] = [];
  for (const stage of file.stages) {
    let script: Section | undefined;
    let state: ScanState = { heredocs: [], continued: false };
    const delimiterCache = new Map<string, number>();
    // A heredoc only explains a cut if its terminator shows up later; otherwise it was never closed.
    const terminatorFollows = (section: Section, delimiter: string) =>
      lastDelimiterLine(file.text, stage.range.start.offset, stage.range.end.offset, delimiter, delimiterCache) > section.lineRange.end.offset;
    for (const section of stage.sections) {
      const line = sectionLineText(file, section);
      const indented = section.lineRange.start.line > 1 && /^\s/.test(line);
      let reason: CutReason | undefined;
      if (script) {
        if (state.heredocs.length > 0 && terminatorFollows(section, state.heredocs[0].delimiter)) reason = 'heredoc';
        else if (state.continued) reason = 'continuation';
        else if (indented) reason = 'indented';
      }
      if (script && reason) {
        cuts.push({ section, script, reason, delimiter: reason === 'heredoc' ? state.heredocs[0].delimiter : undefined });
        // The cut line and its "body" are still script text: keep scanning with the same state.
        scan([line, ...section.bodyLines.map((body) => body.text)], state);
        continue;
      }
      state = { heredocs: [], continued: false };
      script = isShellSection(section) ? section : undefined;
      if (script) state = scannedBody(file, section);
    }
  }
  return cuts;
}
