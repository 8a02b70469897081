// Editor features on the parsed model, called directly (the e2e test covers the protocol).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { completionsAt, documentSymbols, foldingRanges, hoverAt } from '../../src/lsp/features.js';
import { corpusDir, corpusPresent } from '../helpers/corpus.js';

const DEF = [
  'Bootstrap: docker',
  'From: {{ BASE }}',
  'Stage: devel',
  '',
  '%arguments',
  '  BASE=ubuntu:24.04',
  '',
  '%post',
  '  echo "{{ MISSING }}" # {{ SKIPPED }}',
  '',
  'Bootstrap: library',
  'From: alpine',
  '%files from devel',
  '  /a /b',
  '%appinstall tool',
  '  make',
  '%apphelp tool',
  '  help',
  '',
].join('\n');

const file = parse(DEF);
const offsetOf = (needle: string, delta = 0) => DEF.indexOf(needle) + delta;
const hoverText = (offset: number) => {
  const hover = hoverAt(file, offset);
  return hover ? (hover.contents as { value: string }).value : '';
};

describe('hover', () => {
  it('explains placeholders with their default, a missing default, or a skipped one', () => {
    expect(hoverText(offsetOf('BASE }}'))).toContain('ubuntu:24.04');
    expect(hoverText(offsetOf('MISSING'))).toContain('--build-arg MISSING=');
    expect(hoverText(offsetOf('SKIPPED'))).toMatch(/after a `#`|follows a `#`/);
  });

  it('explains agents, and app sections with their app', () => {
    expect(hoverText(offsetOf('library'))).toContain('Bootstrap: library');
    expect(hoverText(offsetOf('appinstall'))).toContain('App: `tool`');
  });
});

describe('completion', () => {
  it('offers header keys first for the stage agent', () => {
    const text = 'Bootstrap: debootstrap\nOS\n%post\n';
    const items = completionsAt(parse(text), text.indexOf('OS') + 2);
    const first = [...items].sort((a, b) => a.sortText!.localeCompare(b.sortText!))[0];
    expect(['MirrorURL:', 'OSVersion:', 'Include:']).toContain(first.label);
  });

  it("offers the stage's %arguments names inside {{ }}", () => {
    const text = 'Bootstrap: docker\nFrom: alpine\n%arguments\n  TAG=3.19\n  USER=me\n%post\n  echo {{ U\n';
    const items = completionsAt(parse(text), text.indexOf('{{ U') + 4);
    expect(items.map((i) => [i.label, i.detail])).toEqual([
      ['TAG', 'default: 3.19'],
      ['USER', 'default: me'],
    ]);
  });

  it('offers rule ids after ignore= in a pragma', () => {
    const text = 'Bootstrap: docker\n# apptainer-lint ignore=DEF0\n';
    const items = completionsAt(parse(text), text.indexOf('DEF0') + 4);
    expect(items.map((i) => i.label)).toContain('DEF001');
    expect(items[0].textEdit).toBeDefined();
  });
});

describe('symbols and folding', () => {
  it('groups app sections under their app', () => {
    const symbols = documentSymbols(file);
    expect(symbols.map((s) => s.name)).toEqual(['stage devel', 'Bootstrap: library']);
    const tool = symbols[1].children!.find((c) => c.name === 'tool')!;
    expect(tool.children!.map((c) => c.name)).toEqual(['%appinstall', '%apphelp']);
  });

  it('folds each section to its last non-blank line', () => {
    const folds = foldingRanges(file);
    expect(folds).toContainEqual({ startLine: 7, endLine: 8 });
    expect(folds).toContainEqual({ startLine: 16, endLine: 17 });
  });
});

describe('robustness', () => {
  it('never throws on arbitrary text at any offset', () => {
    const piece = fc.constantFrom(
      'Bootstrap: docker',
      '%post',
      '%files from ',
      '# apptainer-lint ignore=',
      '{{ X }}',
      '%apprun a',
      '\r',
      '\n',
      'x:',
      '%',
      '😀',
      '\t',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 6 })), { maxLength: 20 }), fc.nat(), (pieces, at) => {
        const text = pieces.join('');
        const parsed = parse(text);
        const offset = text.length === 0 ? 0 : at % (text.length + 1);
        hoverAt(parsed, offset);
        completionsAt(parsed, offset);
        const symbols = documentSymbols(parsed);
        for (const symbol of symbols) {
          const { range, selectionRange } = symbol;
          // LSP requires the selection inside the symbol's range.
          expect(range.start.line <= selectionRange.start.line && selectionRange.end.line <= range.end.line).toBe(true);
        }
        for (const fold of foldingRanges(parsed)) expect(fold.endLine).toBeGreaterThan(fold.startLine);
      }),
      { numRuns: 500 },
    );
  });

  it.skipIf(!corpusPresent)('handles every corpus file: symbols in range, hovers and completions anywhere', () => {
    const corpus = `${corpusDir}/files`;
    const names = readdirSync(corpus).filter((name) => name.endsWith('.def'));
    expect(names.length).toBeGreaterThan(400);
    let hovers = 0;
    for (const name of names) {
      const text = readFileSync(join(corpus, name), 'utf8');
      const parsed = parse(text);
      documentSymbols(parsed);
      foldingRanges(parsed);
      // Probe the start of every section and header line, where hovers have something to say.
      for (const stage of parsed.stages) {
        for (const entry of stage.header ?? []) if (hoverAt(parsed, entry.keyRange.start.offset)) hovers++;
        for (const section of stage.sections) {
          if (hoverAt(parsed, section.nameRange.start.offset + 1)) hovers++;
          completionsAt(parsed, section.lineRange.end.offset);
        }
      }
    }
    expect(hovers).toBeGreaterThan(1000);
  });
});
