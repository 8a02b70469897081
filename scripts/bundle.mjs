#!/usr/bin/env node
// Builds what the package ships (npm `prepare` runs only this: no type-check, so a pre-commit
// hook's first install stays short). Every dependency is bundled in: the installed package has
// no dependencies at all, nothing to fetch from a registry and no install scripts.
// - dist/bundle/main.js and index.js: ES modules, one chunk per command, for the long-running
//   language server, the commands other than `lint`, `parse` and the generator, and the library
//   (`import { lint } from 'apptainer-gen'`);
// - dist/bundle/parse.js: `parse` in one ES module without chunks, for its start-up;
// - dist/bundle/cli.cjs: `lint` alone (src/cli/lint-main.ts) in one CommonJS file, which
//   bin/load-cli.js compiles with a V8 code cache, so a one-file lint does not spend its time
//   compiling JavaScript; without the other commands there is less to read and deserialise.
//   CommonJS because a vm.Script (Node 20's only code-cache API) cannot use import().
// - dist/bundle/generate.cjs: the generator alone (src/cli/generate-main.ts), the same way.
// - dist/wasm/: the shell parser's WebAssembly files (web-tree-sitter's runtime and the
//   tree-sitter-bash grammar), copied, so tree-sitter-bash is a build-time dependency only.
//   node scripts/bundle.mjs [--if-stale]
// --if-stale (npm `prepack`): does nothing when the bundles are newer than every source file,
// so `npm pack` right after `npm install` (what pre-commit does) does not bundle twice.
import { build } from 'esbuild';
import { standaloneValidator } from './standalone-validators.mjs';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const outdir = join(root, 'dist', 'bundle');
const wasmdir = join(root, 'dist', 'wasm');

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

if (process.argv.includes('--if-stale')) {
  const outputs = [
    join(outdir, 'cli.cjs'),
    join(outdir, 'generate.cjs'),
    join(outdir, 'main.js'),
    join(outdir, 'parse.js'),
    join(outdir, 'index.js'),
    join(wasmdir, 'tree-sitter-bash.wasm'),
  ];
  if (outputs.every((file) => existsSync(file))) {
    const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
    const inputs = ['src', 'grammar', 'schemas', 'scripts/bundle.mjs', 'package.json', 'package-lock.json'].map((path) => join(root, path));
    if (inputs.every((path) => !existsSync(path) || newestMtime(path) < built)) process.exit(0);
  }
}
rmSync(outdir, { recursive: true, force: true });
rmSync(wasmdir, { recursive: true, force: true });
mkdirSync(wasmdir, { recursive: true });
copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), join(wasmdir, 'tree-sitter.wasm'));
copyFileSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'), join(wasmdir, 'tree-sitter-bash.wasm'));

// grammar/chevrotain.ts finds chevrotain's single-file build next to the package at run time;
// bundled, it becomes a static import of that same file.
const chevrotainBundle = join(dirname(dirname(require.resolve('chevrotain'))), 'chevrotain.min.mjs');
const sharedPlugins = [
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
];
// The CommonJS bundle takes web-tree-sitter's CommonJS build: its ES-module build relies on
// import.meta, which a CommonJS bundle cannot express.
const webTreeSitterCjs = {
  name: 'web-tree-sitter-cjs',
  setup(b) {
    b.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
  },
};
// The recipe and lint-config schemas' validators, compiled here (scripts/standalone-validators.mjs)
// instead of at every run: schema compilation was most of a one-recipe run's time. The source
// modules src/generate/recipe-validator.ts and src/lint/config-validator.ts export `undefined`; in
// the bundles they export the compiled function.
const validatorModules = {
  [join(root, 'src/generate/recipe-validator.ts')]: { name: 'precompiledRecipeValidator', code: await standaloneValidator(root, 'recipe') },
  [join(root, 'src/lint/config-validator.ts')]: { name: 'precompiledConfigValidator', code: await standaloneValidator(root, 'lint-config') },
};
sharedPlugins.push({
  name: 'precompiled-validators',
  setup(b) {
    b.onLoad({ filter: /-validator\.ts$/ }, (args) => {
      const module = validatorModules[args.path];
      if (!module) return undefined;
      return { contents: `${module.code}\nexport const ${module.name} = validate;\n`, loader: 'js', resolveDir: root };
    });
  },
});

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  // Less JavaScript to parse at start-up; names are kept for readable stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  plugins: sharedPlugins,
  logLevel: 'warning',
};

await build({
  ...common,
  entryPoints: { main: join(root, 'src/cli/main.ts'), index: join(root, 'src/index.ts') },
  outdir,
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS dependencies call require() for Node's built-in modules.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
});

// `apptainer-gen parse` alone, in one module with no chunks (bin/load-cli.js loads it for `parse`):
// each further ES module costs the loader more than its code costs to compile.
await build({
  ...common,
  entryPoints: [join(root, 'src/cli/parse-main.ts')],
  outfile: join(outdir, 'parse.js'),
  format: 'esm',
});

// `lint` and `generate`, each alone in one CommonJS file (see the top of this file).
for (const [name, entry] of [
  ['cli.cjs', 'src/cli/lint-main.ts'],
  ['generate.cjs', 'src/cli/generate-main.ts'],
]) {
  await build({
    ...common,
    entryPoints: [join(root, entry)],
    outfile: join(outdir, name),
    format: 'cjs',
    plugins: [...sharedPlugins, webTreeSitterCjs],
    define: { 'import.meta.url': '__bundle_url' },
    banner: { js: 'const __bundle_url = require("node:url").pathToFileURL(__filename).href;' },
  });
}
