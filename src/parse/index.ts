// The parser's public face: `parse(text)` gives the lossless tree, the typed model of every
// stage, all syntax problems, and exactly what Apptainer's `parser.All` returns for the text.
import { parseCst, type CstChunk, type CstToken } from '../../grammar/parser.js';
import { isSectionStart, lineContentEnd } from '../../grammar/lines.js';
import type { ApptainerDefinition, ParsedFile, SyntaxNode, SyntaxToken } from './model.js';
import { parseModel, type ParseOptions } from './file.js';
import { interpretChunk, type ChunkResult, type Line } from './stage.js';
import { LineIndex } from './text.js';
import { substituteTemplates, undefinedVariableError } from './template.js';

export type * from './model.js';
export { ParseCode } from './codes.js';
export { findPlaceholders, substituteTemplates } from './template.js';
export { APP_SECTIONS, HEADER_KEYS, STANDARD_SECTIONS, isValidHeaderKey } from './stage.js';
export { goTrimSpace, LineIndex } from './text.js';
export { finalStage, liveStages } from './live-stages.js';

export type { ParseOptions } from './file.js';

function chunkTokens(chunk: CstChunk): CstToken[] {
  const tokens: CstToken[] = [];
  if (chunk.stageStart) tokens.push(chunk.stageStart);
  // Loops, not spread arguments: a chunk can hold more lines than a call can take arguments.
  for (const t of chunk.header) tokens.push(t);
  for (const s of chunk.sections) {
    tokens.push(s.line);
    for (const t of s.body) tokens.push(t);
  }
  return tokens;
}

function toSyntaxTree(text: string, index: LineIndex, chunks: CstChunk[]): SyntaxNode {
  const token = (t: CstToken): SyntaxToken => ({
    type: t.type,
    text: text.slice(t.start, t.end),
    range: index.range(t.start, t.end),
  });
  const node = (type: string, children: (SyntaxNode | SyntaxToken)[], start: number, end: number): SyntaxNode => ({
    type,
    range: index.range(start, end),
    children,
  });
  const stages = chunks
    .map((chunk) => {
      const all = chunkTokens(chunk);
      if (all.length === 0) return undefined;
      const headerTokens = [...(chunk.stageStart ? [chunk.stageStart] : []), ...chunk.header];
      const children: SyntaxNode[] = [];
      if (headerTokens.length > 0) {
        children.push(node('header', headerTokens.map(token), headerTokens[0].start, headerTokens[headerTokens.length - 1].end));
      }
      for (const s of chunk.sections) {
        const end = s.body.length > 0 ? s.body[s.body.length - 1].end : s.line.end;
        children.push(node('section', [token(s.line), ...s.body.map(token)], s.line.start, end));
      }
      return node('stage', children, all[0].start, all[all.length - 1].end);
    })
    .filter((n): n is SyntaxNode => n !== undefined);
  return node('file', stages, 0, text.length);
}

export function parse(text: string, options: ParseOptions = {}): ParsedFile {
  return parseModel(text, options, (index) => toSyntaxTree(text, index, parseCst(text).chunks));
}

/**
 * The definitions `apptainer build` uses: each stage templated with its own `%arguments`
 * defaults and `buildArgs`, then parsed again (build.go MakeAllDefs).
 */
export function parseForBuild(
  text: string,
  buildArgs: Record<string, string> = {},
): { ok: true; defs: ApptainerDefinition[]; unusedBuildArgs: string[] } | { ok: false; error: string } {
  const first = parse(text);
  if (!first.apptainer.ok) return { ok: false, error: first.apptainer.error };
  const defs: ApptainerDefinition[] = [];
  const used = new Set<string>();
  const okStages = first.stages.filter((s) => !s.empty);
  for (const stage of okStages) {
    const stageText = text.slice(stage.range.start.offset, stage.range.end.offset);
    const substituted = substituteTemplates(stageText, stage.argumentDefaults, buildArgs);
    if (substituted.undefinedNames.length > 0) {
      return { ok: false, error: undefinedVariableError(substituted.undefinedNames[0]) };
    }
    substituted.used.forEach((n) => used.add(n));
    const reparsed = parseSingleStage(substituted.text);
    if (!reparsed.ok) return { ok: false, error: reparsed.error };
    defs.push(reparsed.definition);
  }
  const unusedBuildArgs = Object.keys(buildArgs).filter((k) => !used.has(k));
  return { ok: true, defs, unusedBuildArgs };
}

/** ParseDefinitionFile on one stage's text: no splitting at `bootstrap:` lines. */
export function parseSingleStage(text: string): ChunkResult {
  const index = new LineIndex(text);
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const next = nl === -1 ? text.length : nl + 1;
    const end = lineContentEnd(text, start);
    lines.push({ start, end, next, section: isSectionStart(text, start, end), number: lines.length + 1 });
    start = next;
  }
  return interpretChunk(text, index, lines, 0, text.length, 0).result;
}
