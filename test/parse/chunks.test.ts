// parse() reads the stage chunks and their lines straight from the text (src/parse/chunks.ts) and
// builds the chevrotain tree only on demand: the two must cut every text the same way.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSectionStart, lineContentEnd, sectionLineStarts } from '../../grammar/lines.js';
import { parseCst, type CstChunk } from '../../grammar/parser.js';
import { cutChunks } from '../../src/parse/chunks.js';
import type { Line } from '../../src/parse/stage.js';
import { corpusFiles, readCorpusFile, repoRoot } from '../helpers/corpus.js';
import { defFilesUnder, defPiece } from '../helpers/def-like.js';

/** The chunks as the grammar cuts them, as the interpreter's lines. */
function grammarChunks(text: string): Line[][] {
  let number = 1;
  return parseCst(text).chunks.map((chunk: CstChunk) => {
    const tokens = [...(chunk.stageStart ? [chunk.stageStart] : []), ...chunk.header, ...chunk.sections.flatMap((s) => [s.line, ...s.body])];
    return tokens.map((t) => ({
      start: t.start,
      end: t.type === 'EmptyLine' ? t.start : lineContentEnd(text, t.start),
      next: t.end,
      section: t.type === 'SectionLine',
      number: number++,
    }));
  });
}

function sameAsGrammar(text: string): void {
  expect(cutChunks(text)).toEqual(grammarChunks(text));
}

const interesting = defPiece('BOOTSTRAP: x', 'boot\u017ftrap:', 'Bootstrap', '  %post', '\u2003%test', '\r\r\n');
const defLike = fc.array(fc.oneof(interesting, interesting, fc.string({ maxLength: 6 })), { maxLength: 60 }).map((parts) => parts.join(''));

describe('cutChunks (the lines parse() interprets)', () => {
  it('cuts like the grammar on the edge cases', () => {
    for (const text of ['', '\n', '\r', '\r\n', 'Bootstrap: x', 'x\nbootstrap:\n%post\n', 'boot\u017ftrap: y\r\n%files\r', ' %a\n\n%b']) sameAsGrammar(text);
    // Before the first `bootstrap:` line: an empty chunk when the file starts with one.
    expect(cutChunks('Bootstrap: x\n').map((c) => c.length)).toEqual([0, 1]);
  });

  it('cuts like the grammar on every corpus and fixture file', () => {
    for (const name of corpusFiles()) sameAsGrammar(readCorpusFile(name));
    for (const file of defFilesUnder(join(repoRoot, 'fixtures'))) sameAsGrammar(readFileSync(file, 'utf8'));
  });

  it('cuts like the grammar on def-like text', () => {
    fc.assert(fc.property(defLike, sameAsGrammar), { numRuns: 3000 });
  });
});

describe('sectionLineStarts (the section lines, found from the `%` characters)', () => {
  /** Every line start whose line isSectionStart says begins a section, tested line by line. */
  const byLine = (text: string): number[] => {
    const starts: number[] = [];
    for (let start = 0; start < text.length;) {
      const end = lineContentEnd(text, start);
      if (isSectionStart(text, start, end)) starts.push(start);
      const nl = text.indexOf('\n', start);
      start = nl === -1 ? text.length : nl + 1;
    }
    return starts;
  };

  it('finds exactly the lines isSectionStart accepts', () => {
    for (const text of ['', '%', ' %', '%%post\n  %a %b\n', 'x %post\n\u2003\t%test\r\n%\r', '\n\n%x', 'a\r%b\n']) {
      expect(sectionLineStarts(text)).toEqual(byLine(text));
    }
    fc.assert(
      fc.property(defLike, (text) => {
        expect(sectionLineStarts(text)).toEqual(byLine(text));
      }),
      { numRuns: 3000 },
    );
  });
});
