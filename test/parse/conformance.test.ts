// The whole corpus through our parser, compared with what Apptainer's own parser returned.
import { describe, expect, it } from 'vitest';
import { parseApptainerResult } from '../../src/parse/apptainer-result.js';
import { parse, parseForBuild } from '../../src/parse/index.js';
import { apptainerJson } from '../../src/cli/commands/parse.js';
import { corpusFiles, corpusPresent, corpusSkipReason, readCorpusFile, readExpected } from '../helpers/corpus.js';
import { normalizeApptainer } from '../helpers/normalize.js';

const files = corpusFiles();

const skipped = corpusPresent ? '' : ` (${corpusSkipReason})`;

describe.skipIf(!corpusPresent)(`conformance with Apptainer parser.All${skipped}`, () => {
  it('has the whole corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(444);
  });

  it.each(files)('%s', (name) => {
    const text = readCorpusFile(name);
    const parsed = parse(text, { filename: name });
    const got = apptainerJson(name, parsed.apptainer);
    expect(normalizeApptainer(got)).toEqual(normalizeApptainer(readExpected(name)));
    // The CLI's apptainer-json path (no positioned model) agrees too.
    expect(normalizeApptainer(apptainerJson(name, parseApptainerResult(text)))).toEqual(normalizeApptainer(readExpected(name)));
    // Where Apptainer rejects a file, we name the problem with a position.
    const result = parsed.apptainer;
    if (!result.ok) {
      const reasons = parsed.diagnostics.map((d) => d.apptainerError);
      const wanted = result.invalidSections ? result.invalidSections.map((n) => `invalid section(s) specified: ${n}`) : [result.error];
      for (const w of wanted) expect(reasons, `no positioned diagnostic for: ${w}`).toContain(w);
    }
  });
});

describe.skipIf(!corpusPresent)(`conformance with apptainer build (templating, MakeAllDefs)${skipped}`, () => {
  it.each(files)('%s', (name) => {
    const result = parseForBuild(readCorpusFile(name));
    const got = result.ok ? { file: name, ok: true, defs: result.defs } : { file: name, ok: false, error: result.error };
    const expected = readExpected(name, 'expected-build');
    delete expected.invalidSections;
    expect(normalizeApptainer(got)).toEqual(normalizeApptainer(expected));
  });
});
