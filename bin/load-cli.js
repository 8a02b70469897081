// Runs the bundled CLI. `lint` (the command on an editor's or a commit hook's path) loads
// dist/bundle/cli.cjs with a V8 code cache kept in the user's cache folder, so a one-file lint does
// not spend its time compiling JavaScript; any problem with the cache only costs speed. Every
// other command loads the ES-module bundle, one chunk per command.
// The cache (~/.cache/apptainer-gen/cli-VERSION-NODE-SIZE-MTIME.cache) is written when missing or
// rejected, and writing one deletes the others: a tool or Node.js upgrade leaves no garbage.
// `parse` loads dist/bundle/parse.js, the command alone in one module.
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
  if (argv[0] !== 'lint') {
    const { main } = await import('../dist/bundle/main.js');
    return main(argv);
  }
  // Loaded here, not at the top: the other commands need none of them (start-up time).
  const v8 = require('node:v8');
  const vm = require('node:vm');
  const { createRequire, Module } = require('node:module');
  // A lint run stays on V8's baseline WebAssembly compiler (see expectShortRun in
  // src/lint/shell/treesitter.ts). Set before compiling: cached code is tied to V8's flags.
  v8.setFlagsFromString('--liftoff-only');
  const bundle = join(bundleDir, 'cli.cjs');
  const source = readFileSync(bundle, 'utf8');
  const cacheFile = process.env.APPTAINER_GEN_NO_CODE_CACHE ? undefined : codeCacheFile(bundle, source.length);
  let cachedData;
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile);
  } catch {
    // no cache yet
  }
  const script = new vm.Script(Module.wrap(source), { filename: bundle, cachedData });
  const cli = { exports: {} };
  script.runInThisContext()(cli.exports, createRequire(bundle), cli, bundle, bundleDir);
  // The bundle is `lint` alone (src/cli/lint-main.ts): the command's own arguments.
  const code = await cli.exports.main(argv.slice(1));
  if (cacheFile && (!cachedData || script.cachedDataRejected)) saveCodeCache(cacheFile, script);
  return code;
}

function codeCacheFile(bundle, size) {
  try {
    const base = process.env.XDG_CACHE_HOME || join(require('node:os').homedir(), '.cache');
    // The tool's and Node's versions and the bundle's size and time identify the build: a new
    // one never reads an old cache (V8 would reject it anyway, after reading it).
    const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    const { mtimeMs } = statSync(bundle);
    return join(base, 'apptainer-gen', `cli-${version}-${process.version}-${size}-${Math.trunc(mtimeMs)}.cache`);
  } catch {
    return undefined; // no home directory to speak of: run without a cache
  }
}

function saveCodeCache(file, script) {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, file);
  } catch {
    return; // read-only or missing home: run without a cache next time too
  }
  pruneCodeCaches(file);
}

/** Deletes the caches of other versions (and temporary files a killed run left behind). */
function pruneCodeCaches(keep) {
  try {
    const dir = dirname(keep);
    for (const name of readdirSync(dir)) {
      if (!name.startsWith('cli-') || join(dir, name) === keep) continue;
      if (name.endsWith('.cache') || name.endsWith('.tmp')) unlinkSync(join(dir, name));
    }
  } catch {
    // another run pruned first, or the folder is not ours to clean: harmless
  }
}

module.exports = { runCli };
