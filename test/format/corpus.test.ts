// The formatter never changes what Apptainer reads: over the whole real-world corpus, the
// formatted text parses to the same Apptainer result, and formatting twice changes nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parse/index.js';
import { format } from '../../src/format/index.js';
import { normaliseApptainerResult, stableStringify } from '../../src/format/equivalence.js';
import { corpusDir, corpusPresent } from '../helpers/corpus.js';

const CORPUS = `${corpusDir}/files`;
const files = corpusPresent
  ? readdirSync(CORPUS)
      .filter((name) => name.endsWith('.def'))
      .sort()
  : [];

describe.skipIf(!corpusPresent)('formatter over the corpus', () => {
  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThan(400);
  });

  it('keeps the Apptainer parse result of every file and is idempotent', () => {
    let changed = 0;
    const problems: string[] = [];
    for (const name of files) {
      const text = readFileSync(join(CORPUS, name), 'utf8');
      const before = parse(text);
      const formatted = format(text);
      if (formatted !== text) changed++;
      const after = parse(formatted);
      if (stableStringify(normaliseApptainerResult(after.apptainer)) !== stableStringify(normaliseApptainerResult(before.apptainer))) {
        problems.push(`${name}: parse result changed`);
      }
      if (format(formatted) !== formatted) problems.push(`${name}: not idempotent`);
      // Apptainer's own expected result, where it accepted the file, must still hold.
      const expected = JSON.parse(readFileSync(join(CORPUS, '..', 'expected', name.replace(/\.def$/, '.json')), 'utf8'));
      if (expected.ok && !after.apptainer.ok) problems.push(`${name}: no longer parses`);
    }
    expect(problems).toEqual([]);
    // Most real files have something to tidy (header key case, blank lines, final newline).
    expect(changed).toBeGreaterThan(50);
  });
});
