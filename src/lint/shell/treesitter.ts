// Lazy, once-per-process loading of web-tree-sitter and the bash grammar. Loading the WASM
// costs ~30 ms, so it only happens when a lint run actually needs shell syntax trees.
import { createRequire } from 'node:module';
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
  const require = createRequire(import.meta.url);
  const runtimeWasm = require.resolve('web-tree-sitter/tree-sitter.wasm');
  const bashWasm = require.resolve('tree-sitter-bash/tree-sitter-bash.wasm');
  // The package's CommonJS build: it loads the same from ES modules and from the CommonJS CLI
  // bundle, which cannot use import() (see scripts/bundle.mjs).
  const { Parser, Language } = require('web-tree-sitter') as typeof import('web-tree-sitter');
  await Parser.init({ locateFile: () => runtimeWasm });
  const language = await Language.load(bashWasm);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
