// Text helpers that reproduce Go's string functions where Apptainer relies on them, and the
// offset → line/column mapping every node uses.
import { isGoSpace } from '../../grammar/lines.js';
import type { Position, Range } from './model.js';

export { isGoSpace };

/**
 * Apptainer's header `\` continuation on the pieces of a value: when the last piece ends in `\`,
 * drop the backslash (a literal `\n` before it becomes a newline; a piece shorter than two
 * characters is glued to the one before) and return true.
 */
export function continueHeaderValue(parts: string[]): boolean {
  let tail = parts[parts.length - 1];
  if (!tail.endsWith('\\')) return false;
  tail = tail.slice(0, -1);
  if (tail.length < 2 && parts.length > 1) tail = parts.splice(-2, 1)[0] + tail;
  if (tail.endsWith('\\n')) tail = tail.slice(0, -2) + '\n';
  parts[parts.length - 1] = tail;
  return true;
}

/** The index of the last line start at or before `offset` (`starts` ascending, `starts[0]` = 0). */
export function lineIndexAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Go strings.TrimSpace (Unicode White_Space; unlike String.prototype.trim it keeps U+FEFF). */
export function goTrimSpace(s: string): string {
  const start = trimStartAt(s, 0, s.length);
  const end = trimEndAt(s, start, s.length);
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Offsets of the first and last non-space characters of s[start, end), as [from, to). */
export function trimBounds(s: string, start: number, end: number): [number, number] {
  const from = trimStartAt(s, start, end);
  return [from, trimEndAt(s, from, end)];
}

/** Offset of the first non-space character of s[start, end), or `end` (trimBounds' `from`). */
export function trimStartAt(s: string, start: number, end: number): number {
  // The usual characters are decided here, not by a call to isGoSpace per character (calls cost in
  // the code V8 has not optimised, where the parser runs): space and tab are spaces, other printable
  // ASCII is not.
  while (start < end) {
    const c = s.charCodeAt(start);
    if (c === 32 || c === 9) start++;
    else if ((c > 32 && c < 127) || !isGoSpace(c)) break;
    else start++;
  }
  return start;
}

/** Offset after the last non-space character of s[start, end), or `start` (trimBounds' `to`). */
export function trimEndAt(s: string, start: number, end: number): number {
  while (end > start) {
    const c = s.charCodeAt(end - 1);
    if (c === 32 || c === 9) end--;
    else if ((c > 32 && c < 127) || !isGoSpace(c)) break;
    else end--;
  }
  return end;
}

/** Go strings.Fields: split on runs of Unicode space. */
export function goFields(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && isGoSpace(s.charCodeAt(i))) i++;
    const start = i;
    while (i < s.length && !isGoSpace(s.charCodeAt(i))) i++;
    if (i > start) out.push(s.slice(start, i));
  }
  return out;
}

/** indexOf limited to s[from, to): never scans past the end of the line at hand. */
export function indexWithin(s: string, search: string, from: number, to: number): number {
  const start = from < 0 ? 0 : from;
  if (search === '' || to - start < search.length) return -1;
  // A slice (no copy: V8 makes a view of a longer string) searched natively: a character loop here
  // would cost a call per character in the code V8 has not optimised.
  const i = s.slice(start, to).indexOf(search);
  return i === -1 ? -1 : start + i;
}

/** UTF-8 byte length of s[start, end). */
export function utf8Length(s: string, start = 0, end = s.length): number {
  let bytes = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Maps offsets to positions. Built once per text; lookups near the previous one are O(1). */
export class LineIndex {
  private readonly starts: number[] = [0];
  /** Columns count code points: only texts with surrogate pairs need counting. */
  private readonly hasSurrogates: boolean;
  private lastLine = 0;

  constructor(private readonly text: string) {
    let i = text.indexOf('\n');
    while (i !== -1) {
      this.starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
    this.hasSurrogates = /[\ud800-\udfff]/.test(text);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[line - 1];
  }

  private lineOf(offset: number): number {
    const { starts } = this;
    // Most lookups walk forward through the file: try the previous line and its neighbours first.
    const line = this.lastLine;
    if (starts[line] <= offset && (line + 1 === starts.length || starts[line + 1] > offset)) return line;
    if (line + 1 < starts.length && starts[line + 1] <= offset && (line + 2 === starts.length || starts[line + 2] > offset)) {
      return (this.lastLine = line + 1);
    }
    return (this.lastLine = lineIndexAt(starts, offset));
  }

  positionAt(offset: number): Position {
    const clamped = offset < 0 ? 0 : offset > this.text.length ? this.text.length : offset;
    const line = this.lineOf(clamped);
    const start = this.starts[line];
    const character = clamped - start;
    let column = character + 1;
    if (this.hasSurrogates) {
      for (let i = start + 1; i < clamped; i++) {
        const c = this.text.charCodeAt(i);
        if (c >= 0xdc00 && c <= 0xdfff) {
          const prev = this.text.charCodeAt(i - 1);
          if (prev >= 0xd800 && prev <= 0xdbff) column--;
        }
      }
    }
    return { offset: clamped, line: line + 1, column, character };
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}
