// Lazy, once-per-process loading of web-tree-sitter and the bash grammar. Loading the WASM
// costs ~30 ms, so it only happens when a lint run actually needs shell syntax trees.
import { createRequire } from 'node:module';
import type { Parser } from 'web-tree-sitter';

let parserPromise: Promise<Parser> | undefined;

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
  const require = createRequire(import.meta.url);
  const runtimeWasm = require.resolve('web-tree-sitter/tree-sitter.wasm');
  const bashWasm = require.resolve('tree-sitter-bash/tree-sitter-bash.wasm');
  const { Parser, Language } = await import('web-tree-sitter');
  await Parser.init({ locateFile: () => runtimeWasm });
  const language = await Language.load(bashWasm);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
