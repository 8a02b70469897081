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
 * The functions of web-tree-sitter's WebAssembly binding (its lib/tree-sitter.c) that move a tree
 * cursor and read its node. Each takes the tree's address and works on the cursor kept in the
 * binding's transfer buffer, writing it back there when it moves: called one after another they
 * walk a tree without the per-call copying in and out of the buffer that the `TreeCursor`
 * methods do (and without a `Node` object per node). Booleans come back as 0 or 1.
 */
export interface CursorBinding {
  _ts_tree_cursor_goto_first_child_wasm(tree: number): number;
  _ts_tree_cursor_goto_next_sibling_wasm(tree: number): number;
  _ts_tree_cursor_goto_parent_wasm(tree: number): number;
  _ts_tree_cursor_current_node_type_id_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_named_wasm(tree: number): number;
  _ts_tree_cursor_current_node_is_missing_wasm(tree: number): number;
  _ts_tree_cursor_current_field_id_wasm(tree: number): number;
  _ts_tree_cursor_start_index_wasm(tree: number): number;
  _ts_tree_cursor_end_index_wasm(tree: number): number;
  _ts_tree_cursor_delete_wasm(tree: number): void;
}
const CURSOR_FUNCTIONS: (keyof CursorBinding)[] = [
  '_ts_tree_cursor_goto_first_child_wasm',
  '_ts_tree_cursor_goto_next_sibling_wasm',
  '_ts_tree_cursor_goto_parent_wasm',
  '_ts_tree_cursor_current_node_type_id_wasm',
  '_ts_tree_cursor_current_node_is_named_wasm',
  '_ts_tree_cursor_current_node_is_missing_wasm',
  '_ts_tree_cursor_current_field_id_wasm',
  '_ts_tree_cursor_start_index_wasm',
  '_ts_tree_cursor_end_index_wasm',
  '_ts_tree_cursor_delete_wasm',
];
let binding: CursorBinding | undefined;
let nativeInputCopy = false;

/** Whether the loaded parser takes its text through inputCopier (for tests: web-tree-sitter upgrades). */
export function copiesInputNatively(): boolean {
  return nativeInputCopy;
}

/**
 * `Parser.init(options)` hands `options` to the Emscripten module factory, which fills that very
 * object with the module's exports. When all the cursor functions are there (web-tree-sitter
 * 0.25), the shell walk copies trees through them; otherwise (another version, or a parser set up
 * by someone else first) it uses the public `Node` API.
 */
function cursorBindingOf(module: object): CursorBinding | undefined {
  const exports = module as Record<string, unknown>;
  return CURSOR_FUNCTIONS.every((name) => typeof exports[name] === 'function') ? (module as CursorBinding) : undefined;
}

/** The cursor functions of the loaded binding (see CursorBinding), once the parser has loaded. */
export function cursorBinding(): CursorBinding | undefined {
  return binding;
}

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
  const options: EmscriptenOptions = { locateFile: () => runtimeWasm };
  options.instantiateWasm = (imports, receive) => {
    // The runtime instantiated here, as Emscripten's own loader would (bytes, not a path: see
    // below), but with the text copied into the parser's input buffer natively (inputCopier).
    const env = imports.env as Record<string, unknown> | undefined;
    if (env && isStockInputCallback(env.tree_sitter_parse_callback) && env.memory instanceof WebAssembly.Memory) {
      env.tree_sitter_parse_callback = inputCopier(env.memory, (index, point) => options.currentParseCallback?.(index, point));
      nativeInputCopy = true;
    }
    WebAssembly.instantiate(readFileSync(runtimeWasm), imports).then(
      ({ instance, module }) => receive(instance, module),
      (error: unknown) => options.onAbort?.(error),
    );
    return {};
  };
  await Parser.init(options);
  binding = cursorBindingOf(options);
  // The bytes, not the path: given a path, web-tree-sitter reads it through import(), which the
  // code-cached CLI bundle (a vm.Script) cannot do.
  const language = await Language.load(readFileSync(bashWasm));
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** What Parser.init() hands to web-tree-sitter's Emscripten module factory (see cursorBindingOf). */
interface EmscriptenOptions {
  locateFile(): string;
  /** Emscripten's hook for instantiating the module's WebAssembly itself. */
  instantiateWasm?(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void): object;
  onAbort?(reason: unknown): void;
  /** Set by web-tree-sitter's `Parser.parse` for the duration of a parse: the text source. */
  currentParseCallback?: ((index: number, point: { row: number; column: number }) => unknown) | null;
}

/** web-tree-sitter's input buffer, in bytes (INPUT_BUFFER_SIZE in its lib/tree-sitter.c). */
const INPUT_BUFFER_BYTES = 10 * 1024;
/** UTF-16 units copied per call: the buffer less its two-byte terminator. */
const INPUT_CHUNK_UNITS = (INPUT_BUFFER_BYTES - 2) / 2;

/** web-tree-sitter 0.25's `tree_sitter_parse_callback(buffer, index, row, column, lengthAddress)`. */
function isStockInputCallback(value: unknown): boolean {
  return typeof value === 'function' && value.length === 5;
}

/**
 * The parser's text source, as web-tree-sitter's `tree_sitter_parse_callback` import: asks
 * `source` for the text from UTF-16 index `index` on, stores its length at `lengthAddress` and
 * copies up to INPUT_CHUNK_UNITS units of it, then a 0 unit, into the input buffer at `address`.
 * Same bytes as the stock import (Emscripten's stringToUTF16), which stores one unit at a time
 * through a DataView: in the baseline code a lint runs on that copy was a fifth of the shell
 * parse. Here it is one native UTF-16LE write.
 */
export function inputCopier(
  memory: WebAssembly.Memory,
  source: (index: number, point: { row: number; column: number }) => unknown,
): (address: number, index: number, row: number, column: number, lengthAddress: number) => void {
  return (address, index, row, column, lengthAddress) => {
    const text = source(index, { row, column });
    const buffer = memory.buffer;
    if (typeof text !== 'string') {
      new DataView(buffer).setInt32(lengthAddress, 0, true);
      return;
    }
    new DataView(buffer).setInt32(lengthAddress, text.length, true);
    const units = text.length < INPUT_CHUNK_UNITS ? text.length : INPUT_CHUNK_UNITS;
    const out = Buffer.from(buffer, address, units * 2 + 2);
    out.write(units === text.length ? text : text.slice(0, units), 0, 'utf16le');
    out[units * 2] = 0;
    out[units * 2 + 1] = 0;
  };
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
