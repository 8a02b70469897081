import { describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver';
import { remapDiagnostics } from '../../src/lsp/remap.js';

const at = (line: number, start: number, end: number, code = 'X'): Diagnostic => ({
  range: { start: { line, character: start }, end: { line, character: end } },
  message: code,
  code,
});

describe('remapDiagnostics', () => {
  const diagnostics = [at(1, 2, 5, 'before'), at(3, 4, 8, 'same-line'), at(6, 0, 3, 'after')];

  it('keeps diagnostics before the edit and moves later ones by the lines inserted', () => {
    const moved = remapDiagnostics(diagnostics, [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: 'ab\ncd\n' }]);
    expect(moved.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character])).toEqual([
      ['before', 1, 2, 5],
      ['same-line', 5, 4, 8],
      ['after', 8, 0, 3],
    ]);
  });

  it('moves a diagnostic on the edited line sideways, and drops one the edit touches', () => {
    const typed = remapDiagnostics(diagnostics, [{ range: { start: { line: 3, character: 1 }, end: { line: 3, character: 2 } }, text: 'xyz' }]);
    expect(typed.find((d) => d.code === 'same-line')?.range).toEqual({ start: { line: 3, character: 6 }, end: { line: 3, character: 10 } });
    const overlapping = remapDiagnostics(diagnostics, [{ range: { start: { line: 3, character: 5 }, end: { line: 3, character: 6 } }, text: '' }]);
    expect(overlapping.map((d) => d.code)).toEqual(['before', 'after']);
  });

  it('joins lines: a deletion across lines pulls later diagnostics up', () => {
    const joined = remapDiagnostics(diagnostics, [{ range: { start: { line: 2, character: 3 }, end: { line: 3, character: 2 } }, text: '' }]);
    expect(joined.find((d) => d.code === 'same-line')?.range).toEqual({ start: { line: 2, character: 5 }, end: { line: 2, character: 9 } });
    expect(joined.find((d) => d.code === 'after')?.range.start.line).toBe(5);
  });

  it('applies several changes in order and drops everything on a full-text change', () => {
    const twice = remapDiagnostics(diagnostics, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' },
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '\n' },
    ]);
    expect(twice.map((d) => d.range.start.line)).toEqual([3, 5, 8]);
    expect(remapDiagnostics(diagnostics, [{ text: 'new text' }])).toEqual([]);
  });
});
