#!/usr/bin/env node
// `npm pack` / `npm publish` hooks (prepack: `strip`, postpack: `restore`): the packed package.json
// carries no scripts and no devDependencies. A `prepare` script in a tarball's manifest counts as
// an install script for npm 11 (a warning asking to approve it) although there is nothing left to
// build; the repository keeps `prepare` for git-URL installs and pre-commit, which build from source.
// The original is kept in package.json.prepack-backup until `restore`; a backup left by a failed
// pack is restored first, never overwritten.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = join(root, 'package.json');
const backup = join(root, 'package.json.prepack-backup');

function restore() {
  if (existsSync(backup)) renameSync(backup, manifest);
}

const action = process.argv[2];
if (action === 'restore') {
  restore();
} else if (action === 'strip') {
  restore();
  const text = readFileSync(manifest, 'utf8');
  const pkg = JSON.parse(text);
  delete pkg.scripts;
  delete pkg.devDependencies;
  writeFileSync(backup, text);
  writeFileSync(manifest, JSON.stringify(pkg, null, 2) + '\n');
} else {
  console.error('usage: pack-manifest.mjs strip|restore');
  process.exitCode = 2;
}
