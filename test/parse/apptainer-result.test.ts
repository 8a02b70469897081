// The lean Apptainer-result path must give exactly what the full parser's `apptainer` field gives,
// byte for byte once serialised (key order included: `parse --format apptainer-json` prints it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { parseApptainerResult } from '../../src/parse/apptainer-result.js';
import { corpusFiles, readCorpusFile, repoRoot } from '../helpers/corpus.js';
import { defFilesUnder, defPiece } from '../helpers/def-like.js';

function sameAsFullParser(text: string): void {
  expect(JSON.stringify(parseApptainerResult(text))).toBe(JSON.stringify(parse(text).apptainer));
}

// The format's pieces, and section and header lines the Apptainer-result path treats specially.
const interesting = defPiece(
  '%post -c /bin/bash',
  '%files from build',
  '%environment',
  '%apprun',
  '%AppRun x',
  '%runscript',
  '%arguments',
  'Stage: one',
  'OtherURL12: y',
  '\\n\\',
  // Section and stage lines the apptainer-json path finds with a regular expression: Go spaces
  // before the `%`, and Go's case folding of `bootstrap:`.
  '\u2003%test',
  '\u0085%labels',
  '\v%files',
  'boot\u017ftrap: x',
  'BOOTSTRAP: y',
);
const defLike = fc.array(fc.oneof(interesting, interesting, fc.string({ maxLength: 6 })), { maxLength: 60 }).map((parts) => parts.join(''));

describe('parseApptainerResult (the apptainer-json path)', () => {
  it('equals the full parser on every corpus file', () => {
    const names = corpusFiles();
    for (const name of names) sameAsFullParser(readCorpusFile(name));
  });

  it('equals the full parser on every fixture def file', () => {
    const files = defFilesUnder(join(repoRoot, 'fixtures'));
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) sameAsFullParser(readFileSync(file, 'utf8'));
  });

  it('equals the full parser on def-like text', () => {
    fc.assert(fc.property(defLike, sameAsFullParser), { numRuns: 3000 });
  });

  // The CLI prints the full parser's diagnostics only for files Apptainer rejects or that hold a
  // byte order mark: that loses nothing as long as no other accepted file has a parse diagnostic.
  it('an accepted file without a byte order mark has no parse diagnostics (corpus and def-like text)', () => {
    const accepted = (text: string) => {
      const parsed = parse(text);
      if (parsed.apptainer.ok && !text.includes('\ufeff')) expect(parsed.diagnostics).toEqual([]);
    };
    for (const name of corpusFiles()) accepted(readCorpusFile(name));
    // An accepted file whose header starts with a byte order mark (a dropped continuation) is
    // diagnosed all the same: the CLI runs the full parse for it.
    const bom = parse('\ufeffOtherURL12: y\\\n%appinstall a');
    expect(bom.apptainer.ok).toBe(true);
    expect(bom.diagnostics.map((d) => d.code)).toEqual(['DEF014']);
    fc.assert(fc.property(defLike, accepted), { numRuns: 3000 });
  });

  it('equals the full parser on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), sameAsFullParser), { numRuns: 500 });
  });

  // The header's comments are cut at the next `#`, searched once for all the lines before it.
  it('equals the full parser on header comments: on the line, on a later line, in a section, none', () => {
    const texts = [
      'Bootstrap: docker\nFrom: alpine # the image\nStage: one\n',
      'Bootstrap: docker\nFrom: alpine\nStage: one\n# a comment\nIncludeCmd: yes#x\n',
      'Bootstrap: docker\nFrom: alpine\n%post\n    echo "#"\n',
      'Bootstrap: docker # a#b\nFrom: #\nStage: s\n%post\n  # x\nbootstrap: docker\nFrom: y # z\n',
      '#\n\nBootstrap: docker\nFrom: a\\\n  b # c\n',
      'Bootstrap: docker\nFrom: alpine\n',
    ];
    for (const text of texts) sameAsFullParser(text);
  });

  it('equals the full parser around the 64 KiB scanner limit', () => {
    const section = (size: number, width = 1) => '%post\n' + (width === 1 ? 'x' : 'é').repeat(size) + '\n';
    for (const size of [65_000, 65_520, 65_524, 65_528, 65_530, 65_536, 70_000]) {
      sameAsFullParser('Bootstrap: docker\nFrom: x\n' + section(size) + '%test\n  true\n');
      sameAsFullParser('Bootstrap: docker\nFrom: x\n' + section(size));
      sameAsFullParser(section(size / 2, 2) + '%runscript\n  true');
      sameAsFullParser('Bootstrap: docker\nFrom: ' + 'y'.repeat(size) + '\n%post\n  true\n');
      // UTF-8 lengths across lines (surrogate pairs), a next section line without a newline,
      // a long header before it, and a section line indented with Go spaces.
      sameAsFullParser('😀'.repeat(size / 4) + '\n%post\n' + 'x'.repeat(size / 2) + '\n%test');
      sameAsFullParser('Bootstrap: docker\n' + 'Stage: a\n'.repeat(size / 9) + ' \u00a0%post\n  true\n');
      sameAsFullParser('%files\n' + 'a b\n'.repeat(size / 4) + '\u3000%test\r\n  é\r');
    }
  });
});
