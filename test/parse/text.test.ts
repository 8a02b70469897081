// The trimming helpers decide the usual characters without calling isGoSpace (src/parse/text.ts,
// grammar/lines.ts sectionLineStarts): they must agree with isGoSpace on every UTF-16 code unit.
import { describe, expect, it } from 'vitest';
import { isGoSpace, sectionLineStarts } from '../../grammar/lines.js';
import { goTrimSpace, trimEndAt, trimStartAt } from '../../src/parse/text.js';

describe('Go-space trimming on every code unit', () => {
  it('trimStartAt, trimEndAt, goTrimSpace and sectionLineStarts skip exactly the Go spaces', () => {
    const wrong: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const c = String.fromCharCode(code);
      const space = isGoSpace(code);
      if (trimStartAt(`${c}${c}x`, 0, 3) !== (space ? 2 : 0)) wrong.push(`trimStartAt ${code}`);
      if (trimEndAt(`x${c}${c}`, 0, 3) !== (space ? 1 : 3)) wrong.push(`trimEndAt ${code}`);
      if (goTrimSpace(`${c}x${c}`) !== (space ? 'x' : `${c}x${c}`)) wrong.push(`goTrimSpace ${code}`);
      // A `%` after the character starts a section line only when the character is a space (or is
      // itself a `%`, or a newline, after which the `%` starts the line).
      const expected = code === 10 ? '3' : space || code === 37 ? '2' : '';
      if (sectionLineStarts(`a\n${c}%x`).join() !== expected) wrong.push(`sectionLineStarts ${code}`);
    }
    expect(wrong).toEqual([]);
  });
});
