// Runs the bundled CLI. `lint` (the command on an editor's or a commit hook's path) and the
// generator each load one CommonJS bundle, the command alone (dist/bundle/cli.cjs and
// generate.cjs), with a V8 code cache kept in the user's cache folder, so a one-file run does not
// spend its time compiling JavaScript; any problem with a cache only costs speed. `parse` loads
// dist/bundle/parse.js, the command alone in one ES module; every other command loads the
// ES-module bundle, one chunk per command.
// A cache (~/.cache/apptainer-gen/NAME-VERSION-NODE-SIZE-MTIME.cache, NAME `cli` for lint and
// `generate`) is written when missing or rejected, and writing one deletes the same bundle's
// others: a tool or Node.js upgrade leaves no garbage.
'use strict';
// CommonJS, like the two launchers (bin/package.json): started as ES modules, the launcher and each
// built-in module it imported went through Node's ES-module loader, a few milliseconds of a run
// that is itself a few tens. The ES-module bundles are still loaded with import().
const { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const packageDir = join(__dirname, '..');
const bundleDir = join(packageDir, 'dist', 'bundle');

async function runCli(argv) {
  if (argv[0] === 'parse') {
    // One self-contained module (scripts/bundle.mjs): main.js and its chunks are several modules.
    const { main } = await import('../dist/bundle/parse.js');
    return main(argv.slice(1));
  }
  // Lint starts on V8's baseline compilers only: for the short runs it is mostly used for,
  // TurboFan compiles more than it saves; a long run lets it back in (src/cli/batch-tuning.ts).
  // `--no-turbofan` is what `--max-opt=1` implies, set explicitly so that setting the flags again
  // restores it (see the code cache below).
  if (argv[0] === 'lint') return runCached('cli', argv.slice(1), ['--liftoff-only', '--max-opt=1', '--no-turbofan']);
  // The generator: `generate RECIPE.yaml`, or a recipe (or '-') first, as src/cli/main.ts reads it.
  if (argv[0] === 'generate') return runCached('generate', argv.slice(1));
  if (argv[0] !== undefined && (/\.(ya?ml)$/i.test(argv[0]) || argv[0] === '-')) return runCached('generate', argv);
  const { main } = await import('../dist/bundle/main.js');
  return main(argv);
}

/**
 * Runs dist/bundle/NAME.cjs, one command alone (scripts/bundle.mjs), with its V8 code cache, and
 * returns its exit code. `flags`: V8 flags the command runs with, set before compiling (cached
 * code is tied to V8's flags).
 */
async function runCached(name, argv, flags = []) {
  // Loaded here, not at the top: the other commands need none of them (start-up time).
  const vm = require('node:vm');
  const { createRequire, Module } = require('node:module');
  // A lint run stays on V8's baseline WebAssembly compiler (see expectShortRun in
  // src/lint/shell/treesitter.ts).
  for (const flag of flags) require('node:v8').setFlagsFromString(flag);
  const bundle = join(bundleDir, `${name}.cjs`);
  const source = readFileSync(bundle, 'utf8');
  const cacheFile = process.env.APPTAINER_GEN_NO_CODE_CACHE ? undefined : codeCacheFile(name, bundle, source.length);
  let cachedData;
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile);
  } catch {
    // no cache yet
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  const command = { exports: {} };
  script.runInThisContext()(command.exports, createRequire(bundle), command, bundle, bundleDir);
  // The bundle's main takes the command's own arguments (src/cli/lint-main.ts, generate-main.ts).
  const code = await command.exports.main(argv);
  if (cacheFile && (!cachedData || script.cachedDataRejected) && didItsWork(argv, code)) {
    // The command may have changed a flag while running (lint lets TurboFan back in after 1
    // MB); V8 stamps a cache with the flags in force when it is written, and rejects it in a run
    // whose flags differ, so the start flags are set again first.
    for (const flag of flags) require('node:v8').setFlagsFromString(flag);
    saveCodeCache(name, cacheFile, script);
  }
  return code;
}

/**
 * The cache holds the functions this run compiled, and is only rewritten when missing or
 * rejected: one written after `--help`, `--version` or a usage error (exit 2) would leave every
 * later run compiling most of the command again.
 */
function didItsWork(argv, code) {
  if (code !== 0 && code !== 1) return false;
  return !argv.some((arg) => arg === '--help' || arg === '-h' || arg === '--version' || arg === '-v');
}

function codeCacheFile(name, bundle, size) {
  try {
    const base = process.env.XDG_CACHE_HOME || join(require('node:os').homedir(), '.cache');
    // The tool's and Node's versions and the bundle's size and time identify the build: a new
    // one never reads an old cache (V8 would reject it anyway, after reading it).
    const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    const { mtimeMs } = statSync(bundle);
    return join(base, 'apptainer-gen', `${name}-${version}-${process.version}-${size}-${Math.trunc(mtimeMs)}.cache`);
  } catch {
    return undefined; // no home directory to speak of: run without a cache
  }
}

function saveCodeCache(name, file, script) {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, file);
  } catch {
    return; // read-only or missing home: run without a cache next time too
  }
  pruneCodeCaches(name, file);
}

/** Deletes the bundle's caches of other versions (and temporary files a killed run left behind). */
function pruneCodeCaches(name, keep) {
  try {
    const dir = dirname(keep);
    for (const file of readdirSync(dir)) {
      if (!file.startsWith(`${name}-`) || join(dir, file) === keep) continue;
      if (file.endsWith('.cache') || file.endsWith('.tmp')) unlinkSync(join(dir, file));
    }
  } catch {
    // another run pruned first, or the folder is not ours to clean: harmless
  }
}

module.exports = { runCli };
