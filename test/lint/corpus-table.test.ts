// The README's corpus table is generated (scripts/corpus-stats.mjs --readme): it must match what
// the linter finds on the corpus today, every row above the stated threshold included.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusPresent, corpusSkipReason } from '../helpers/corpus.js';
import { ensureBuilt, ROOT } from '../lsp/build.js';

describe.skipIf(!corpusPresent)(corpusPresent ? 'README corpus table' : `README corpus table (${corpusSkipReason})`, () => {
  it('is up to date (npm run corpus-stats -- --readme regenerates it)', () => {
    ensureBuilt();
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'corpus-stats.mjs'), '--readme', '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
  }, 180_000);
});
