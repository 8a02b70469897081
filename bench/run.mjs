#!/usr/bin/env node
// `npm run bench`: every benchmark, one after the other, printing their figures.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let failed = false;
for (const script of ['whole-process.mjs', 'parse.mjs', 'growth.mjs', 'lint.mjs', 'lsp.mjs', 'install.mjs']) {
  console.log(`\n## ${script.replace('.mjs', '')}`);
  const result = spawnSync(process.execPath, [join(here, script)], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exitCode = failed ? 1 : 0;
