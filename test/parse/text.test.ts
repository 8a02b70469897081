// The trimming helpers decide the usual characters without calling isGoSpace (src/parse/text.ts,
// grammar/lines.ts sectionLineStarts): they must agree with isGoSpace on every UTF-16 code unit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGoSpace, sectionLineStarts } from '../../grammar/lines.js';
import { goTrimSpace, indexWithin, trimEndAt, trimStartAt } from '../../src/parse/text.js';

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

describe('indexWithin', () => {
  /** The first position in [from, to - search.length] where `search` starts, by comparison. */
  const reference = (s: string, search: string, from: number, to: number): number => {
    if (search === '') return -1;
    for (let i = Math.max(from, 0); i <= to - search.length; i++) if (s.startsWith(search, i)) return i;
    return -1;
  };

  it('finds the first occurrence that lies wholly inside [from, to)', () => {
    expect(indexWithin('ab #c #', '#', 0, 7)).toBe(3);
    expect(indexWithin('ab #c #', '#', 4, 7)).toBe(6);
    expect(indexWithin('ab #c #', '#', 4, 6)).toBe(-1);
    expect(indexWithin('a b', ' ', 2, 1)).toBe(-1);
    const text = fc.string({ unit: fc.constantFrom('a', ' ', '#', 'b', '\n'), maxLength: 20 });
    const search = fc.constantFrom('#', ' ', 'ab', '', 'a#');
    fc.assert(
      fc.property(text, search, fc.integer({ min: -2, max: 22 }), fc.integer({ min: -2, max: 22 }), (s, q, from, to) => {
        expect(indexWithin(s, q, from, to)).toBe(reference(s, q, from, to));
      }),
      { numRuns: 5000 },
    );
  });
});
