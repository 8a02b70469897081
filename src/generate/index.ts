// Library API of the recipe generator: recipe YAML text in, definition file (and job script) out.
import { loadRecipe, recipeSchema } from './load.js';
import { resolvePlan } from './plan.js';
import { checkRecipe } from './rules/index.js';
import { selectBlocks } from './blocks/index.js';
import { emitDef, emitJobScript, emittedBlocks } from './emit.js';
import { mirrorProblem, sourcesListing, type SourceFile } from './sources.js';
import type { GenerateOptions, GenerateResult, Problem } from './types.js';

export type { GenerateOptions, GenerateResult, Problem, Recipe } from './types.js';
export { recipeSchema } from './load.js';
export type { SourceFile } from './sources.js';

function basename(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/**
 * The recipe's file name as it may appear in comments and %help of the def and the job script:
 * every character outside a small safe set is percent-encoded, so a name can never carry a line
 * break (a new section or command), a `{{` placeholder or any other structure.
 */
export function outputSafeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._+@,=-]/gu, (ch) =>
    [...Buffer.from(ch, 'utf8')].map((byte) => '%' + byte.toString(16).toUpperCase().padStart(2, '0')).join(''),
  );
}

type Prepared =
  | { ok: true; plan: ReturnType<typeof resolvePlan>; blocks: ReturnType<typeof selectBlocks>; warnings: Problem[]; file: string }
  | { ok: false; errors: Problem[]; warnings: Problem[] };

/** Load, check and plan a recipe: what `generate` and `listSources` share. */
function prepare(recipeText: string, opts: GenerateOptions): Prepared {
  const file = opts.filename ?? 'recipe.yaml';
  if (opts.sourceMirror !== undefined) {
    const why = mirrorProblem(opts.sourceMirror);
    if (why) return { ok: false, errors: [{ file: '--source-mirror', line: 1, column: 1, message: why, severity: 'error', path: '' }], warnings: [] };
  }
  const loaded = loadRecipe(recipeText, file);
  if (!loaded.ok) return { ok: false, errors: loaded.errors, warnings: [] };
  const { recipe } = loaded;
  const plan = resolvePlan(recipe, { sourceMirror: opts.sourceMirror });
  // Only a plain file name goes into the generated text: it must never carry def structure.
  const outName = opts.defFile ? basename(opts.defFile) : '';
  if (/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(outName)) plan.defFile = outName;
  const problems = [...(loaded.warnings ?? []), ...checkRecipe(recipe, plan, loaded.loaded)];
  const byPosition = (a: Problem, b: Problem) => a.line - b.line || a.column - b.column;
  const errors = problems.filter((p) => p.severity === 'error').sort(byPosition);
  const warnings = problems.filter((p) => p.severity === 'warning').sort(byPosition);
  if (errors.length) return { ok: false, errors, warnings };
  return { ok: true, plan, blocks: selectBlocks(plan), warnings, file };
}

/**
 * Turns a recipe into a definition file. Never throws for bad input: schema and rule violations
 * come back as `errors` (with YAML line/column), and no output is produced then.
 */
export function generate(recipeText: string, opts: GenerateOptions = {}): GenerateResult {
  const prepared = prepare(recipeText, opts);
  if (!prepared.ok) return prepared;
  const { plan, blocks, warnings, file } = prepared;
  const source = outputSafeName(basename(file));
  const def = emitDef(plan, blocks, source);
  const wantJob = opts.jobScript || plan.recipe.jobScript !== undefined;
  const jobScript = wantJob ? emitJobScript(plan, source) : undefined;
  return { ok: true, def, jobScript, jobScriptPath: plan.recipe.jobScript?.path, warnings };
}

export type SourcesResult = { ok: true; sources: SourceFile[]; listing: string; warnings: Problem[] } | { ok: false; errors: Problem[]; warnings: Problem[] };

/**
 * Every tarball the generated def fetches (`apptainer-gen sources`): name, file name in a mirror,
 * URL and SHA-256 when known, in build order. Same checks and errors as `generate`.
 */
export function listSources(recipeText: string, opts: GenerateOptions = {}): SourcesResult {
  const prepared = prepare(recipeText, opts);
  if (!prepared.ok) return prepared;
  const sources = emittedBlocks(prepared.plan, prepared.blocks).flatMap((b) => b.sources);
  return { ok: true, sources, listing: sourcesListing(sources), warnings: prepared.warnings };
}

/** The recipe JSON Schema, pretty-printed. */
export function schemaText(): string {
  return JSON.stringify(recipeSchema(), null, 2) + '\n';
}
