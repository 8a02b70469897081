#!/usr/bin/env node
// Bundles the command-line tool twice (the library build, dist/src from tsc, stays as it is):
// - dist/bundle/main.js: ES modules, one chunk per command, for the long-running language server;
// - dist/bundle/cli.cjs: one CommonJS file for `lint`, which bin/load-cli.js compiles
//   with a V8 code cache, so a one-file lint does not spend its time compiling JavaScript.
//   CommonJS because a vm.Script (Node 20's only code-cache API) cannot use import().
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
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

// grammar/chevrotain.ts loads chevrotain's single-file build with a top-level await, which
// CommonJS cannot express: in this bundle that module becomes a static import of the same file.
const chevrotainBundle = join(dirname(dirname(createRequire(import.meta.url).resolve('chevrotain'))), 'chevrotain.min.mjs');
await build({
  entryPoints: [join(root, 'src/cli/main.ts')],
  outfile: join(outdir, 'cli.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // Dependencies are bundled too: import() of a package is not available in a vm.Script. The
  // shell parser stays outside: it finds its WebAssembly files next to itself.
  external: ['web-tree-sitter', 'tree-sitter-bash'],
  define: { 'import.meta.url': '__bundle_url' },
  banner: { js: 'const __bundle_url = require("node:url").pathToFileURL(__filename).href;' },
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [
    {
      name: 'chevrotain-single-file',
      setup(b) {
        b.onResolve({ filter: /^\.\/chevrotain\.js$/ }, (args) =>
          args.importer.includes(`${sep}grammar${sep}`) ? { path: 'chevrotain', namespace: 'chevrotain-single-file' } : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: 'chevrotain-single-file' }, () => ({
          contents: `export { createToken, Lexer, EmbeddedActionsParser } from ${JSON.stringify(chevrotainBundle)};`,
          resolveDir: root,
        }));
      },
    },
  ],
  logLevel: 'warning',
});
