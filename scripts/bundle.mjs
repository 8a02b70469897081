#!/usr/bin/env node
// Bundles the command-line tool into a few ES modules (one chunk per command, shared code split
// out), so that start-up loads a handful of files instead of ~200: on a one-file lint that is
// most of the time left after the work itself. The library build (dist/src, from tsc) stays as is.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: join(root, 'src/cli/main.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies stay in node_modules: they are loaded lazily, and some find files (WASM) next
  // to themselves.
  packages: 'external',
  chunkNames: 'chunks/[name]-[hash]',
  // Less JavaScript to parse at start-up; names are kept for readable stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
