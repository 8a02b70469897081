// The shell layer: parses every shell section of a def file with tree-sitter-bash and maps each
// node back to exact def-file positions. Body line i of a section is file line
// `bodyLines[i].line` starting at `bodyLines[i].offset`, so a tree-sitter (row, column) pair maps
// to `bodyLines[row].offset + column` (tree-sitter's web build counts UTF-16 units, like JS).
import type { Parser } from 'web-tree-sitter';
import type { ParsedFile, Position, Range, Section, Stage } from '../../parse/model.js';
import type { ShellCommand, ShellScript } from '../types.js';
import { lineIndexAt } from '../../parse/text.js';
import { bashParser } from './treesitter.js';
import { walkTree, type Bashism, type Heredoc, type ShellAssignment, type ShellPipeline, type VariableRef } from './walk.js';

export type { Bashism, Heredoc, ShellAssignment, ShellPipeline, VariableRef } from './walk.js';
export * from './commands.js';
export * from './sections.js';

/** Facts about a script beyond the `ShellScript` contract, for rules that need them. */
export interface ShellScriptDetails {
  /** Standalone assignments (`X=1`, `export X=1`, `declare -x X`). */
  assignments: ShellAssignment[];
  /** Constructs a POSIX sh (dash, ash) rejects. */
  bashisms: Bashism[];
  heredocs: Heredoc[];
  pipelines: ShellPipeline[];
  /** Shell function definitions, by name. */
  functions: { name: string; range: Range }[];
  /** Variable reads (`$X`, `${X:-y}`), in source order. */
  variables: VariableRef[];
  /** The section body with `{{ NAME }}` placeholders replaced by same-length filler. */
  analysedText: string;
}

const details = new WeakMap<ShellScript, ShellScriptDetails>();

/** Extra facts about a script parsed by `parseShellScripts` (empty for foreign objects). */
export function shellDetails(script: ShellScript): ShellScriptDetails {
  return details.get(script) ?? { assignments: [], bashisms: [], heredocs: [], pipelines: [], functions: [], variables: [], analysedText: '' };
}

type Dialect = ShellScript['dialect'];

/** The shell dialect a section runs in, or undefined for non-shell sections. */
export function sectionDialect(section: Section): Dialect | undefined {
  if (section.shell) return section.shell.dialect === 'other' ? undefined : section.shell.dialect;
  // `%environment`/`%appenv` are evaluated at run time by Apptainer's embedded shell interpreter
  // (mvdan.cc/sh, which parses bash syntax; Singularity 3.6 on), not by the image's /bin/sh.
  if (section.name === 'environment' || section.name === 'appenv') return 'bash';
  return undefined;
}

const PLACEHOLDER = /\{\{\s*\w+\s*\}\}/g;

/** Replaces `{{ NAME }}` with same-length filler so shell tools see a plain word. */
export function maskPlaceholders(text: string): { text: string; spans: [number, number][] } {
  const spans: [number, number][] = [];
  const masked = text.replace(PLACEHOLDER, (match, offset: number) => {
    spans.push([offset, offset + match.length]);
    return match.replace(/[^\n]/g, 'X');
  });
  return { text: masked, spans };
}

/** Parses every shell section of `file` (script sections plus `%environment`/`%appenv`). */
export async function parseShellScripts(file: ParsedFile): Promise<ShellScript[]> {
  const targets: { stage: Stage; section: Section; dialect: Dialect }[] = [];
  for (const stage of file.stages) {
    for (const section of stage.sections) {
      const dialect = sectionDialect(section);
      if (dialect && section.bodyLines.length > 0) targets.push({ stage, section, dialect });
    }
  }
  if (targets.length === 0) return [];
  const parser = await bashParser();
  // How often each body occurs in this file: a body repeated N times needs its N placements kept,
  // and the N of the layout before the last edit (typing moves the copies below it back and
  // forth), or every lint would re-base the copies again (a generated file may repeat one
  // %environment 100 times).
  const keys = targets.map(({ section, dialect }) => (cacheEnabled ? cacheKey(file, section, dialect) : undefined));
  const occurrences = new Map<string, number>();
  for (const key of keys) if (key !== undefined) occurrences.set(key, (occurrences.get(key) ?? 0) + 1);
  return targets.map(({ stage, section, dialect }, i) => {
    const key = keys[i];
    return cachedSection(parser, file, stage, section, dialect, key, key === undefined ? 0 : 2 * occurrences.get(key)!);
  });
}

// ---- Per-section analysis cache --------------------------------------------------------------
// The language server re-lints after every keystroke; most sections are unchanged (or only moved).
// A section's analysis depends only on its body text, the line layout inside it and its dialect
// (placeholder spans derive from the body), plus where it starts: every position inside it is
// `start + something` on lines whose text is the same. So results are cached by that key in
// body-relative form and re-based (offset and line delta) onto the section's current start.
// Lints of the same layout share one analysis: rules only read it (a rule that wrote into it
// would make the cached and uncached lints of test/lint/perf/shell-cache.test.ts differ).

/** Position-free analysis of one section, as cached. */
interface SectionAnalysis {
  commands: ShellCommand[];
  syntaxErrors: Range[];
  setOptions: ShellScript['setOptions'];
  nestingLimit?: Range;
  details?: ShellScriptDetails;
}

/** One analysis of a section body, with the position of its first body line. */
interface Placement {
  analysis: SectionAnalysis;
  offset: number;
  line: number;
}

interface CacheEntry {
  /** By offset, least recently used first; a file may hold the same body several times (generated or copied blocks). */
  placements: Map<number, Placement>;
  size: number;
}

/** Placements kept per body beyond its occurrences in the file: room for edits that move them. */
const SPARE_PLACEMENTS = 8;

/** Bounds: entries, and total key length in UTF-16 units (results are roughly proportional). */
const CACHE_MAX_ENTRIES = 1024;
const CACHE_MAX_CHARS = 4 * 1024 * 1024;
const cache = new Map<string, CacheEntry>();
let cacheChars = 0;
let cacheEnabled = true;

/** Turns the per-section shell analysis cache on or off (on by default); off also empties it. */
export function setShellCacheEnabled(enabled: boolean): void {
  cacheEnabled = enabled;
  if (!enabled) clearShellCache();
}

/** Empties the per-section shell analysis cache. */
export function clearShellCache(): void {
  cache.clear();
  cacheChars = 0;
}

/** Number of entries and total key size of the cache (for tests and benchmarks). */
export function shellCacheStats(): { entries: number; chars: number } {
  return { entries: cache.size, chars: cacheChars };
}

/** The cache key of a section, or undefined when it cannot be cached safely. */
function cacheKey(file: ParsedFile, section: Section, dialect: Dialect): string | undefined {
  const lines = section.bodyLines;
  const first = lines[0];
  // Positions are re-based by whole lines: the body must start at a line start.
  if (first.offset > 0 && file.text.charCodeAt(first.offset - 1) !== 10) return undefined;
  let contiguous = true;
  for (let i = 1; i < lines.length; i++) {
    const prev = lines[i - 1];
    if (lines[i].offset !== prev.offset + prev.text.length + 1 || file.text.charCodeAt(lines[i].offset - 1) !== 10) {
      contiguous = false;
      break;
    }
  }
  const last = lines[lines.length - 1];
  // The body lines joined by `\n`, which is what the file holds between them (one slice, no join).
  if (contiguous) return `${dialect}\n${file.text.slice(first.offset, last.offset + last.text.length)}`;
  // Other line endings (CRLF): the raw text and the line layout are part of the key.
  const layout = lines.map((l) => `${l.offset - first.offset}:${l.text.length}`).join(',');
  return `${dialect}\r${layout}\r${file.text.slice(first.offset, last.offset + last.text.length)}`;
}

function cachedSection(
  parser: Parser,
  file: ParsedFile,
  stage: Stage,
  section: Section,
  dialect: Dialect,
  key: string | undefined,
  placementsWanted: number,
): ShellScript {
  if (key === undefined) return toScript(analyseSection(parser, file, section), stage, section, dialect);
  const first = section.bodyLines[0];
  const line = file.positionAt(first.offset).line;
  let entry = cache.get(key);
  if (entry) {
    // Most recently used last.
    cache.delete(key);
    cache.set(key, entry);
  } else {
    const analysis = deepFreeze(analyseSection(parser, file, section));
    entry = { placements: new Map([[first.offset, { analysis, offset: first.offset, line }]]), size: key.length };
    cache.set(key, entry);
    cacheChars += entry.size;
    for (const [oldKey, old] of cache) {
      if (cache.size <= CACHE_MAX_ENTRIES && cacheChars <= CACHE_MAX_CHARS) break;
      if (old === entry) break;
      cache.delete(oldKey);
      cacheChars -= old.size;
    }
  }
  return toScript(placedAt(entry, first.offset, line, placementsWanted + SPARE_PLACEMENTS), stage, section, dialect);
}

/**
 * The entry's analysis for a body starting at `offset`/`line`. A placement made for that
 * position is shared; otherwise the latest one is re-based once and kept, so the next lint of the
 * same layout (the next keystroke elsewhere in the file) shares it instead of copying again.
 */
function placedAt(entry: CacheEntry, offset: number, line: number, keep: number): SectionAnalysis {
  const { placements } = entry;
  const found = placements.get(offset);
  if (found && found.line === line) {
    placements.delete(offset);
    placements.set(offset, found);
    return found.analysis;
  }
  // Any placement will do as the source: they all hold the same analysis, moved.
  const source = found ?? placements.values().next().value!;
  const analysis = deepFreeze(cloneAnalysis(source.analysis, offset - source.offset, line - source.line));
  placements.delete(offset);
  placements.set(offset, { analysis, offset, line });
  for (const oldest of placements.keys()) {
    if (placements.size <= keep) break;
    placements.delete(oldest);
  }
  return analysis;
}

function toScript(analysis: SectionAnalysis, stage: Stage, section: Section, dialect: Dialect): ShellScript {
  const script: ShellScript = { stage, section, dialect, commands: analysis.commands, syntaxErrors: analysis.syntaxErrors, setOptions: analysis.setOptions };
  if (analysis.nestingLimit) script.nestingLimit = analysis.nestingLimit;
  if (analysis.details) details.set(script, analysis.details);
  return script;
}

/**
 * Cached analyses are shared by every lint of the same layout, so under the test suite they are
 * frozen: a rule that wrote into one throws there (and fails its tests) instead of silently
 * changing later lints. Outside tests freezing is skipped: it costs as much as a copy.
 */
const FREEZE_SHARED_ANALYSES = process.env.VITEST !== undefined;

function deepFreeze<T>(value: T): T {
  if (!FREEZE_SHARED_ANALYSES) return value;
  return freezeAll(value);
}

function freezeAll<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) freezeAll((value as Record<string, unknown>)[key]);
  return value;
}

/**
 * A deep copy of a cached analysis with every position moved by `offsetDelta` / `lineDelta`
 * (columns stay: whole lines move). Shared objects stay shared in the copy (a command's
 * `pipeline.commands`, a heredoc's `command`, a pipeline's `stages`, ranges used twice).
 */
function cloneAnalysis(analysis: SectionAnalysis, offsetDelta: number, lineDelta: number): SectionAnalysis {
  // Positions are never shared between ranges (each range is made with two fresh ones), so only
  // ranges and other objects go through the identity map.
  const seen = new Map<object, unknown>();
  const move = (p: Position): Position => ({ offset: p.offset + offsetDelta, line: p.line + lineDelta, column: p.column, character: p.character });
  const copy = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const done = seen.get(value);
    if (done !== undefined) return done;
    if (Array.isArray(value)) {
      const out: unknown[] = new Array(value.length);
      seen.set(value, out);
      for (let i = 0; i < value.length; i++) out[i] = copy(value[i]);
      return out;
    }
    const source = value as Record<string, unknown>;
    if (isRange(source)) {
      const moved: Range = { start: move(source.start), end: move(source.end) };
      seen.set(value, moved);
      return moved;
    }
    if (isPosition(source)) {
      const moved = move(source);
      seen.set(value, moved);
      return moved;
    }
    const out: Record<string, unknown> = {};
    seen.set(value, out);
    for (const key of Object.keys(source)) out[key] = copy(source[key]);
    return out;
  };
  return copy(analysis) as SectionAnalysis;
}

function isRange(value: Record<string, unknown>): value is Record<string, unknown> & Range {
  const { start, end } = value;
  return (
    typeof start === 'object' &&
    start !== null &&
    typeof end === 'object' &&
    end !== null &&
    Object.keys(value).length === 2 &&
    isPosition(start as Record<string, unknown>) &&
    isPosition(end as Record<string, unknown>)
  );
}

function isPosition(value: Record<string, unknown>): value is Record<string, unknown> & Position {
  return typeof value.offset === 'number' && typeof value.character === 'number' && typeof value.line === 'number' && typeof value.column === 'number';
}

/**
 * Sections longer than this are not parsed as shell: Apptainer rejects a section over 64 KiB
 * (`bufio.Scanner: token too long`, reported by DEF019), and a syntax tree costs ~300 bytes of
 * memory per byte of script, so a 50 MB `%post` would exhaust memory for nothing.
 */
export const SECTION_ANALYSIS_LIMIT = 64 * 1024;

function analyseSection(parser: Parser, file: ParsedFile, section: Section): SectionAnalysis {
  const lines = section.bodyLines;
  let length = 0;
  for (const line of lines) length += line.text.length + 1;
  if (length > SECTION_ANALYSIS_LIMIT) return { commands: [], syntaxErrors: [], setOptions: [] };
  const body = lines.map((l) => l.text).join('\n');
  const masked = maskPlaceholders(body);
  // Body index of each line start: body index i on row r is file offset `lines[r].offset + i - lineStarts[r]`.
  const lineStarts: number[] = [];
  let lineStart = 0;
  for (const line of lines) {
    lineStarts.push(lineStart);
    lineStart += line.text.length + 1;
  }
  // Ranges are asked for mostly in body order: try the row of the last lookup first.
  let row = 0;
  const offsetOf = (index: number): number => {
    if (index < lineStarts[row] || (row + 1 < lineStarts.length && index >= lineStarts[row + 1])) row = lineIndexAt(lineStarts, index);
    return lines[row].offset + Math.min(index - lineStarts[row], lines[row].text.length);
  };
  // Positions: when the body lines are whole file lines one `\n` apart (the first one where the
  // file says it starts) and the body has no surrogates (columns count code points), an index on
  // row r is on file line `lines[r].line`, its character its distance from the row's start (as
  // offsetOf clamps it): no line lookup in the file per position.
  const direct = startsLines(file, lines) && !/[\ud800-\udfff]/.test(body);
  const positionOf = (index: number): Position => {
    if (!direct) return file.positionAt(offsetOf(index));
    if (index < lineStarts[row] || (row + 1 < lineStarts.length && index >= lineStarts[row + 1])) row = lineIndexAt(lineStarts, index);
    const { offset, line, text } = lines[row];
    const character = Math.min(index - lineStarts[row], text.length);
    return { offset: offset + character, line, column: character + 1, character };
  };
  const range = (start: number, end: number): Range => ({ start: positionOf(start), end: positionOf(end) });
  const tree = parser.parse(masked.text);
  const analysis: SectionAnalysis = { commands: [], syntaxErrors: [], setOptions: [] };
  if (!tree) return analysis;
  try {
    const walked = walkTree(tree.rootNode, { text: body, parsed: masked.text, placeholders: masked.spans, range });
    analysis.commands = walked.commands;
    analysis.syntaxErrors = walked.syntaxErrors;
    if (walked.nestingLimit) analysis.nestingLimit = walked.nestingLimit;
    analysis.setOptions = collectSetOptions(walked.commands);
    analysis.details = {
      assignments: walked.assignments,
      bashisms: walked.bashisms,
      heredocs: walked.heredocs,
      pipelines: walked.pipelines,
      functions: walked.functions,
      variables: walked.variables,
      analysedText: masked.text,
    };
  } finally {
    tree.delete();
  }
  return analysis;
}

/**
 * Whether each body line is a whole line of the file as its position model counts them: the first
 * at its own line start and line, the next ones one `\n` after the previous (so also at line
 * starts, on the next line numbers).
 */
function startsLines(file: ParsedFile, lines: Section['bodyLines']): boolean {
  const first = file.positionAt(lines[0].offset);
  if (first.character !== 0 || first.line !== lines[0].line) return false;
  for (let i = 1; i < lines.length; i++) {
    const prev = lines[i - 1];
    const next = lines[i];
    if (next.line !== prev.line + 1 || next.offset !== prev.offset + prev.text.length + 1 || file.text.charCodeAt(next.offset - 1) !== 10) return false;
  }
  return true;
}

const SHORT_SET_OPTIONS: Record<string, string> = {
  e: 'errexit',
  u: 'nounset',
  x: 'xtrace',
  v: 'verbose',
  f: 'noglob',
  a: 'allexport',
  C: 'noclobber',
  n: 'noexec',
};

/**
 * Options turned on by top-level `set` commands, by long name (`errexit`, `nounset`,
 * `pipefail`, `xtrace`...): `set -euo pipefail` gives errexit, nounset and pipefail.
 */
function collectSetOptions(commands: ShellScript['commands']): ShellScript['setOptions'] {
  const found: ShellScript['setOptions'] = [];
  for (const cmd of commands) {
    if (cmd.nested || cmd.baseName !== 'set' || cmd.wrappers.length > 0) continue;
    const args = cmd.args;
    for (let i = 0; i < args.length; i++) {
      const word = args[i].text;
      if (word === '--' || !word.startsWith('-') || word.startsWith('--')) break;
      for (const letter of word.slice(1)) {
        if (letter === 'o') {
          const next = args[i + 1];
          if (next && !next.text.startsWith('-')) {
            found.push({ option: next.text, range: next.range });
            i++;
          }
        } else {
          found.push({ option: SHORT_SET_OPTIONS[letter] ?? letter, range: args[i].range });
        }
      }
    }
  }
  return found;
}
