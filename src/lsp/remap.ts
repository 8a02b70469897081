// Moving diagnostics through text edits, so the last full lint's findings stay on the right
// lines while a new lint runs. A diagnostic touched by an edit is dropped (it may no longer hold).
import type { Diagnostic, Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** Where a position after the edited range ends up once `range` is replaced by `text`. */
function shift(position: Position, range: Range, text: string): Position {
  const lines = text.split('\n');
  const lastLine = lines[lines.length - 1].replace(/\r$/, '');
  const endLine = range.start.line + lines.length - 1;
  if (position.line === range.end.line) {
    const base = lines.length === 1 ? range.start.character + lastLine.length : lastLine.length;
    return { line: endLine, character: base + (position.character - range.end.character) };
  }
  return { line: position.line + (endLine - range.end.line), character: position.character };
}

/** The diagnostics, moved through the changes (in order); a full-text change drops them all. */
export function remapDiagnostics(diagnostics: readonly Diagnostic[], changes: readonly TextDocumentContentChangeEvent[]): Diagnostic[] {
  let current = [...diagnostics];
  for (const change of changes) {
    if (!('range' in change) || !change.range) return [];
    const { range, text } = change;
    const next: Diagnostic[] = [];
    for (const diagnostic of current) {
      const d = diagnostic.range;
      if (before(d.end, range.start)) {
        next.push(diagnostic);
      } else if (before(range.end, d.start)) {
        next.push({ ...diagnostic, range: { start: shift(d.start, range, text), end: shift(d.end, range, text) } });
      }
      // Overlapping the edit: dropped until the next lint says otherwise.
    }
    current = next;
  }
  return current;
}
