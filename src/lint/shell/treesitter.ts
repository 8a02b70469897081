// Lazy, once-per-process loading of web-tree-sitter and the bash grammar. Loading the WASM
// costs ~30 ms, so it only happens when a lint run actually needs shell syntax trees.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import type { Parser } from 'web-tree-sitter';

let parserPromise: Promise<Parser> | undefined;
let shortRun = false;

/**
 * Tells the loader that this process is a one-shot run (the CLI). V8 optimises hot WebAssembly
 * functions in background jobs that a process waits for before it exits: ~0.4 s spent optimising
 * the 1.3 MB grammar that a CLI run never recovers, even over the whole corpus (measured), so
 * such runs stay on the baseline compiler (Liftoff). Long-lived processes (the language server)
 * keep the default. Must be called before the first parse.
 */
export function expectShortRun(): void {
  shortRun = true;
}

/** Starts loading the bash parser in the background, so that it overlaps other start-up work. */
export function preloadShellParser(): void {
  bashParser().catch(() => {
    // Reported by the first real use.
  });
}

/** The shared bash parser (tree-sitter-bash). */
export function bashParser(): Promise<Parser> {
  if (!parserPromise) {
    parserPromise = loadParser().catch((error: unknown) => {
      parserPromise = undefined; // let a later call retry instead of caching the failure
      throw error;
    });
  }
  return parserPromise;
}

async function loadParser(): Promise<Parser> {
  if (shortRun) v8.setFlagsFromString('--liftoff-only');
  const runtimeWasm = wasmFile('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm');
  const bashWasm = wasmFile('tree-sitter-bash.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm');
  const { Parser, Language } = await import('web-tree-sitter');
  await Parser.init({ locateFile: () => runtimeWasm });
  // The bytes, not the path: given a path, web-tree-sitter reads it through import(), which the
  // code-cached CLI bundle (a vm.Script) cannot do.
  const language = await Language.load(readFileSync(bashWasm));
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/**
 * A WebAssembly file of the shell parser. The installed package ships them in dist/wasm/ (copied
 * there by scripts/bundle.mjs: tree-sitter-bash is only a build-time dependency, so its native
 * install script never runs for users); an unbuilt checkout reads them from node_modules.
 */
function wasmFile(name: string, packagePath: string): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const shipped = join(dir, 'dist', 'wasm', name);
    if (existsSync(shipped)) return shipped;
    if (existsSync(join(dir, 'package.json')) || dirname(dir) === dir) break; // the package root
  }
  return createRequire(import.meta.url).resolve(packagePath);
}
