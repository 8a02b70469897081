// Robustness: the parser never throws, the tree is lossless, positions are consistent, and the
// work is linear in the input size.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import type { ParsedFile, SyntaxNode, SyntaxToken } from '../../src/parse/model.js';
import { corpusFiles, corpusPresent, readCorpusFile } from '../helpers/corpus.js';
import { defPiece } from '../helpers/def-like.js';

function leaves(node: SyntaxNode | SyntaxToken, out: string[] = []): string[] {
  if ('children' in node) node.children.forEach((c) => leaves(c, out));
  else out.push(node.text);
  return out;
}

function checkInvariants(text: string, parsed: ParsedFile): void {
  expect(leaves(parsed.tree).join('')).toBe(text);
  for (const d of parsed.diagnostics) {
    expect(d.range.start.offset).toBeGreaterThanOrEqual(0);
    expect(d.range.end.offset).toBeLessThanOrEqual(text.length);
    expect(d.range.start.offset).toBeLessThanOrEqual(d.range.end.offset);
    expect(parsed.positionAt(d.range.start.offset)).toEqual(d.range.start);
  }
  for (const stage of parsed.stages) {
    for (const section of stage.sections) {
      const line = text.slice(section.lineRange.start.offset, section.lineRange.end.offset);
      expect(line.replace(/^[\s\u0085\u00a0]*/, '').startsWith('%')).toBe(true);
      for (const body of section.bodyLines) expect(text.slice(body.offset, body.offset + body.text.length)).toBe(body.text);
    }
  }
}

// Characters that matter to the format, mixed with arbitrary text.
const interesting = defPiece();
const defLike = fc
  .array(fc.oneof(interesting, fc.string({ maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 4 })), {
    maxLength: 80,
  })
  .map((parts) => parts.join(''));

describe('parser robustness', () => {
  it('never throws and round-trips arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => checkInvariants(text, parse(text))),
      { numRuns: 400 },
    );
  });

  it('never throws and round-trips def-like text', () => {
    fc.assert(
      fc.property(defLike, (text) => checkInvariants(text, parse(text))),
      { numRuns: 1500 },
    );
  });

  it.skipIf(!corpusPresent)('never throws on mutated corpus files', () => {
    const files = corpusFiles().map(readCorpusFile);
    const mutation = fc.record({
      file: fc.nat({ max: files.length - 1 }),
      edits: fc.array(fc.record({ at: fc.nat(), cut: fc.nat({ max: 20 }), insert: fc.oneof(interesting, fc.string({ maxLength: 5 })) }), {
        minLength: 1,
        maxLength: 6,
      }),
    });
    fc.assert(
      fc.property(mutation, ({ file, edits }) => {
        let text = files[file];
        for (const e of edits) {
          const at = text.length === 0 ? 0 : e.at % text.length;
          text = text.slice(0, at) + e.insert + text.slice(at + e.cut);
        }
        checkInvariants(text, parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('handles empty, binary and huge inputs', () => {
    for (const text of ['', '\n', '\r', '%', '\u0000\u0001\u0002', 'x'.repeat(70_000)]) {
      checkInvariants(text, parse(text));
    }
    const binary = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 256)).toString('utf8');
    checkInvariants(binary, parse(binary));
  });

  it('flags sections over 64 KiB like Apptainer (token too long)', () => {
    const big = 'Bootstrap: docker\n%post\n' + 'echo 0123456789\n'.repeat(5000);
    const parsed = parse(big);
    expect(parsed.apptainer).toEqual({ ok: false, error: 'bufio.Scanner: token too long' });
    expect(parsed.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([['DEF019', 2]]);
    expect(parse('Bootstrap: docker\n%post\n' + 'echo 0123456789\n'.repeat(4000)).apptainer.ok).toBe(true);
  });
});

// Wall-clock growth (10x input, about 10x time) is measured by `npm run bench` (bench/growth.mjs),
// never here: timings on a busy machine are noise. What is checked here is the work the parser
// hands on: 10x the input gives 10x the tree, not more.
describe('parser output grows linearly with the input', () => {
  // Inputs shaped to stress each part: many stages, many sections, long bodies, long headers.
  const shapes: Record<string, (n: number) => string> = {
    stages: (n) => 'Bootstrap: docker\nFrom: alpine\n%post\necho hi\n'.repeat(n),
    sections: (n) => 'Bootstrap: docker\n' + '%post\necho a\n%labels\nA b\n%files\na b\n%runscript\nx\n'.repeat(n),
    'long lines': (n) => 'Bootstrap: docker\n%post\n' + 'a {{ X }} '.repeat(n) + '\n',
    bodies: (n) => 'Bootstrap: docker\n%post\n' + 'echo "{{ X }} # y" %s\n'.repeat(n),
    header: (n) => 'Bootstrap: docker\n' + 'From: x \\\n'.repeat(n) + 'y\n',
  };

  it.each(Object.keys(shapes))('%s: 10x input gives at most 10x the syntax tree (plus a constant)', (shape) => {
    const make = shapes[shape];
    const size = (n: number) => {
      const parsed = parse(make(n));
      return leaves(parsed.tree).length + parsed.diagnostics.length + parsed.stages.reduce((sum, stage) => sum + stage.sections.length, 0);
    };
    const [small, large] = [size(1_000), size(10_000)];
    expect(small).toBeGreaterThan(0);
    expect(large).toBeLessThanOrEqual(10 * small + 10);
  });
});
