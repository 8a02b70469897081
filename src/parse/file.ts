// The parse itself, without the grammar: chunks and lines come from src/parse/chunks.ts, and the
// lossless tree is built on demand by the caller's builder (src/parse/index.ts uses the grammar).
import { ParseCode } from './codes.js';
import { cutChunks } from './chunks.js';
import type { ApptainerDefinition, ApptainerResult, ParseDiagnostic, ParsedFile, Stage, SyntaxNode } from './model.js';
import { interpretChunk, type ChunkResult } from './stage.js';
import { LineIndex } from './text.js';

export interface ParseOptions {
  filename?: string;
}

/**
 * The typed model, the diagnostics and Apptainer's result of a file; `syntaxTree` builds the
 * lossless tree when a caller first reads `tree`. src/parse/index.ts's `parse` passes the grammar's
 * tree; this module itself does not load the grammar (chevrotain), so a caller that never needs
 * the tree (the CLI's diagnostics) does not pay for loading it.
 */
export function parseModel(text: string, options: ParseOptions, syntaxTree: (index: LineIndex) => SyntaxNode): ParsedFile {
  const index = new LineIndex(text);
  const stages: Stage[] = [];
  const diagnostics: ParseDiagnostic[] = [];
  let apptainer: ApptainerResult | undefined;
  const defs: ApptainerDefinition[] = [];

  cutChunks(text).forEach((lines, i) => {
    const start = lines.length > 0 ? lines[0].start : i === 0 ? 0 : text.length;
    const end = lines.length > 0 ? lines[lines.length - 1].next : start;
    const interpreted = interpretChunk(text, index, lines, start, end, stages.length);
    const result: ChunkResult = interpreted.result;
    if (!result.ok && result.empty) {
      // parser.All silently drops chunks that are empty definitions (often the text before
      // the first Bootstrap:); keep them out of the model unless they hold something.
      if (lines.length === 0) return;
      interpreted.stage.empty = true;
    }
    stages.push(interpreted.stage);
    for (const d of interpreted.diagnostics) diagnostics.push(d);
    if (apptainer) return;
    if (result.ok) defs.push(result.definition);
    else if (!result.empty) {
      apptainer = {
        ok: false,
        error: result.error,
        ...(result.invalidSections ? { invalidSections: result.invalidSections } : {}),
        ...(result.panic ? { panic: true } : {}),
      };
    }
  });

  if (!apptainer) {
    apptainer = defs.length > 0 ? { ok: true, defs } : { ok: false, error: 'no stages found in definition file' };
  }
  if (!apptainer.ok && apptainer.error === 'no stages found in definition file') {
    diagnostics.push({
      code: ParseCode.emptyDefinition,
      severity: 'error',
      message: 'the file defines nothing: no header and no section with content',
      range: index.range(0, text.length),
      apptainerError: apptainer.error,
    });
  }
  diagnostics.sort((a, b) => a.range.start.offset - b.range.start.offset);

  let tree: SyntaxNode | undefined;
  return {
    text,
    filename: options.filename,
    // Built on first use: the linter and the conformance path never need it.
    get tree() {
      return (tree ??= syntaxTree(index));
    },
    stages: stages.filter((s) => !s.empty || s.sections.length > 0 || s.header !== null),
    diagnostics,
    apptainer,
    positionAt: (offset: number) => index.positionAt(offset),
  };
}
