// Robustness: the parser never throws, the tree is lossless, positions are consistent, and the
// work is linear in the input size.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import type { ParsedFile, SyntaxNode, SyntaxToken } from '../../src/parse/model.js';
import { corpusFiles, corpusPresent, readCorpusFile } from '../helpers/corpus.js';

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
const interesting = fc.constantFrom(
  '\n', '\r\n', '\r', '%', '%post', '%files', '%labels', '%appinstall a', 'Bootstrap:', 'bootstrap: docker',
  'From: x', ':', '#', '\\', '"', "'", '{{ X }}', '{{', '}}', ' ', '\t', '\u00a0', '\ufeff', 'é', '😀', '\u0000',
);
const defLike = fc.array(fc.oneof(interesting, fc.string({ maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 4 })), {
  maxLength: 80,
}).map((parts) => parts.join(''));

describe('parser robustness', () => {
  it('never throws and round-trips arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => checkInvariants(text, parse(text))),
      { numRuns: 400 },
    );
  });

  it('never throws and round-trips def-like text', () => {
    fc.assert(fc.property(defLike, (text) => checkInvariants(text, parse(text))), { numRuns: 1500 });
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

describe('parser speed is linear in input size', () => {
  function timeParse(text: string): number {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const t0 = process.hrtime.bigint();
      parse(text);
      best = Math.min(best, Number(process.hrtime.bigint() - t0));
    }
    return best;
  }

  // Inputs shaped to stress each part: many stages, many sections, long bodies, long headers.
  const shapes: Record<string, (n: number) => string> = {
    stages: (n) => 'Bootstrap: docker\nFrom: alpine\n%post\necho hi\n'.repeat(n),
    sections: (n) => 'Bootstrap: docker\n' + '%post\necho a\n%labels\nA b\n%files\na b\n%runscript\nx\n'.repeat(n),
    'long lines': (n) => 'Bootstrap: docker\n%post\n' + 'a {{ X }} '.repeat(n) + '\n',
    bodies: (n) => 'Bootstrap: docker\n%post\n' + 'echo "{{ X }} # y" %s\n'.repeat(n),
    header: (n) => 'Bootstrap: docker\n' + 'From: x \\\n'.repeat(n) + 'y\n',
  };

  // "About 12x": linear work plus some garbage-collection overhead from the 10x larger heap.
  it.each(Object.keys(shapes))('%s: 10x input takes about 10x time (at most 14x)', { retry: 2 }, (shape) => {
    const make = shapes[shape];
    // Grow the small input until it takes long enough (≥ 15 ms) to time without noise.
    let n = 1_000;
    while (n < 200_000 && timeParse(make(n)) < 15e6) n *= 2;
    const [smallText, largeText] = [make(n), make(n * 10)];
    parse(largeText); // warm up the JIT on the large size too
    const small = timeParse(smallText);
    const large = timeParse(largeText);
    expect(large / small).toBeLessThan(14);
  });
});
