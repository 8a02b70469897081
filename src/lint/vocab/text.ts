// Text and range helpers shared by the structure rules.
import type { ParsedFile, Range, Section } from '../../parse/model.js';

/** Range of [start, end) in the file (offsets clamped to the text). */
export function rangeOf(file: ParsedFile, start: number, end: number): Range {
  const length = file.text.length;
  const from = Math.max(0, Math.min(start, length));
  const to = Math.max(from, Math.min(end, length));
  return { start: file.positionAt(from), end: file.positionAt(to) };
}

/** Offset just past the end of the line holding `offset` (after its `\n`, or the text end). */
export function endOfLineIncludingNewline(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline + 1;
}

/** Offset of the end of the line holding `offset`, before `\r\n` or `\n`. */
export function endOfLine(text: string, offset: number): number {
  let newline = text.indexOf('\n', offset);
  if (newline === -1) newline = text.length;
  if (newline > offset && text[newline - 1] === '\r') newline -= 1;
  return newline;
}

/** Offset of the start of the line holding `offset`. */
export function startOfLine(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The section line's text (without newline). */
export function sectionLineText(file: ParsedFile, section: Section): string {
  return file.text.slice(section.lineRange.start.offset, section.lineRange.end.offset).replace(/\r$/, '');
}

/**
 * Where the section word sits on its line: `wordStart` is the first character after the
 * leading `%`s, `wordEnd` the first ASCII space (or the line end), as Apptainer cuts it.
 */
export function sectionWordSpan(file: ParsedFile, section: Section): { percentStart: number; wordStart: number; wordEnd: number; lineEnd: number } {
  const lineStart = section.lineRange.start.offset;
  const lineEnd = lineStart + sectionLineText(file, section).length;
  const text = file.text;
  let percentStart = lineStart;
  while (percentStart < lineEnd && text[percentStart] !== '%' && /\s/.test(text[percentStart])) percentStart++;
  let wordStart = percentStart;
  while (wordStart < lineEnd && text[wordStart] === '%') wordStart++;
  let wordEnd = text.indexOf(' ', wordStart);
  if (wordEnd === -1 || wordEnd > lineEnd) wordEnd = lineEnd;
  return { percentStart, wordStart, wordEnd, lineEnd };
}

/** Range of the whole section line without its line break. */
export function sectionLineRange(file: ParsedFile, section: Section): Range {
  const start = section.lineRange.start.offset;
  return rangeOf(file, start, start + sectionLineText(file, section).length);
}

/** Range from the section's `%` through the end of its word (`%post`, `%apprun`). */
export function sectionHeadRange(file: ParsedFile, section: Section): Range {
  const span = sectionWordSpan(file, section);
  return rangeOf(file, span.percentStart, span.wordEnd);
}

/** Levenshtein distance, bounded: returns `max + 1` as soon as it is certainly larger. */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    previous = current;
  }
  return previous[b.length];
}

/** The candidate closest to `word` within `maxDistance` edits (ties: first listed). */
export function nearest(word: string, candidates: readonly string[], maxDistance = 2): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate, maxDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Quote a value for a message. */
export function q(value: string): string {
  return `\`${value}\``;
}
