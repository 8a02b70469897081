// Fixes: the edits rules attach to findings. Every edit keeps the file's own line breaks: a
// whole line is deleted with its CRLF, and inserted text gets the file's line break, because the
// engine passes every fix through `fitLineBreaks` (a rule may write `\n`).
import type { BodyLine, ParsedFile, Range, Section } from '../../parse/model.js';
import type { Fix, ShellWord } from '../types.js';

/** The file's line break: CRLF when the file uses CRLF, else LF. */
export function lineBreak(file: ParsedFile): string {
  // Asked for every finding with a fix: scan the text once per parsed file, not once per fix.
  let found = lineBreaks.get(file);
  if (found === undefined) lineBreaks.set(file, (found = file.text.includes('\r\n') ? '\r\n' : '\n'));
  return found;
}

const lineBreaks = new WeakMap<ParsedFile, string>();

/** The fix with every line break it inserts written as the file writes them. */
export function fitLineBreaks(fix: Fix, file: ParsedFile): Fix {
  const newline = lineBreak(file);
  if (newline === '\n' || !fix.edits.some((edit) => edit.text.includes('\n'))) return fix;
  return { ...fix, edits: fix.edits.map((edit) => ({ ...edit, text: edit.text.replace(/\r?\n/g, newline) })) };
}

export function insertFix(description: string, offset: number, text: string): Fix {
  return { description, edits: [{ start: offset, end: offset, text }] };
}

function indentOf(text: string): string {
  return /^[ \t]*/.exec(text)?.[0] ?? '';
}

/** Inserts `line` as the first body line of a section, indented like the body. */
export function insertLineAtBodyStart(file: ParsedFile, section: Section, line: string, description: string): Fix | undefined {
  const first = section.bodyLines[0];
  if (!first) return undefined;
  const sample = section.bodyLines.find((l) => l.text.trim() !== '') ?? first;
  return insertFix(description, first.offset, `${indentOf(sample.text)}${line}${lineBreak(file)}`);
}

/** A heredoc operator (`<<EOF`, `<<-'EOF'`, not `<<<`) and its delimiter word. */
const HEREDOC_START = /(?<!<)<<(?!<)(-?)\s*\\?(['"]?)([^\s'"<>|&;()]+)\2/g;

/**
 * True when a heredoc opened in these lines is still open after the last one (its delimiter line
 * never comes: an indented `    EOF` ends only a `<<-` heredoc, and only when indented with tabs).
 * Text appended there would become heredoc data, not a command.
 */
export function endsInsideHeredoc(lines: readonly BodyLine[]): boolean {
  const open: { word: string; tabs: boolean }[] = [];
  for (const { text } of lines) {
    if (open.length > 0) {
      if ((open[0].tabs ? text.replace(/^\t+/, '') : text) === open[0].word) open.shift();
      continue;
    }
    // Most lines open no heredoc: one search instead of two expressions.
    if (!text.includes('<<') || /^\s*#/.test(text)) continue;
    for (const match of text.matchAll(HEREDOC_START)) open.push({ word: match[3], tabs: match[1] === '-' });
  }
  return open.length > 0;
}

/** Appends `line` after the last non-blank body line of a section. */
export function appendLineToSection(file: ParsedFile, section: Section, line: string, description: string): Fix | undefined {
  const lines = section.bodyLines;
  let at = lines.length - 1;
  while (at >= 0 && lines[at].text.trim() === '') at--;
  if (at < 0) return undefined;
  const last = lines[at];
  // A trailing `\` would glue our line onto the last command; inside a heredoc it would be data.
  if (/\\$/.test(last.text) || endsInsideHeredoc(section.bodyLines)) return undefined;
  return insertFix(description, last.offset + last.text.length, `${lineBreak(file)}${indentOf(last.text)}${line}`);
}

/** Insert text right after a word (e.g. a flag after `install`). */
export function insertAfterWord(word: ShellWord | { range: Range }, text: string, description: string): Fix {
  return insertFix(description, word.range.end.offset, text);
}

/** A fix that deletes whole lines [start, end) (end should be a line start or the text end). */
export function deleteFix(description: string, start: number, end: number): Fix {
  return { description, edits: [{ start, end, text: '' }] };
}

/** A fix replacing [start, end) by text. */
export function replaceFix(description: string, start: number, end: number, text: string): Fix {
  return { description, edits: [{ start, end, text }] };
}

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
