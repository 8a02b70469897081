// Fixes: edits that rules attach to findings. Whole-line edits keep the file's own line breaks
// (a CRLF line is deleted with its CRLF).
import type { ParsedFile, Range } from '../../parse/model.js';
import type { Fix } from '../types.js';

/** Deletes the whole line when it holds only this assignment (`X=0` or `export X=0`), line break included. */
export function deleteLineFix(file: ParsedFile, range: Range, description: string): Fix | undefined {
  const text = file.text;
  const lineStart = text.lastIndexOf('\n', range.start.offset - 1) + 1;
  let lineEnd = text.indexOf('\n', range.end.offset);
  if (lineEnd === -1) lineEnd = text.length;
  const before = text.slice(lineStart, range.start.offset).trim();
  const after = text.slice(range.end.offset, lineEnd).trim();
  if ((before !== '' && before !== 'export') || (after !== '' && after !== ';')) return undefined;
  const end = lineEnd < text.length ? lineEnd + 1 : lineEnd;
  return { description, edits: [{ start: lineStart, end, text: '' }] };
}
