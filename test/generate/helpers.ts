// Shared helpers for the generator tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { parse } from '../../src/parse/index.js';
import { generate, type Problem } from '../../src/generate/index.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RECIPES = join(ROOT, 'fixtures', 'recipes');

export function recipeFiles(): string[] {
  return readdirSync(RECIPES)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
}

export function readRecipe(file: string): string {
  return readFileSync(join(RECIPES, file), 'utf8');
}

/** Generates and insists on success, so tests fail loudly with the recipe's problems. */
export function mustGenerate(text: string, filename = 'recipe.yaml', opts: { jobScript?: boolean } = {}) {
  const result = generate(text, { filename, ...opts });
  if (!result.ok) {
    throw new Error(`generation failed:\n${result.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n')}`);
  }
  return result;
}

/** Parser diagnostics and Apptainer's verdict, as strings (empty when clean). */
export function parseProblems(def: string): string[] {
  const parsed = parse(def, { filename: 'generated.def' });
  const problems = parsed.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message}`);
  if (!parsed.apptainer.ok) problems.push(`apptainer: ${parsed.apptainer.error}`);
  return problems;
}

/** Runs `<shell> -n` on every script section; returns the failures. */
export function shellSyntaxProblems(def: string): string[] {
  const parsed = parse(def, { filename: 'generated.def' });
  const problems: string[] = [];
  for (const stage of parsed.stages) {
    for (const section of stage.sections) {
      if (!section.shell) continue;
      const shell = section.shell.dialect === 'bash' ? 'bash' : 'sh';
      const run = spawnSync(shell, ['-n'], { input: section.body, encoding: 'utf8' });
      if (run.status !== 0) problems.push(`stage ${stage.index} %${section.name}${section.app ? ' ' + section.app : ''} (${shell} -n): ${run.stderr.trim()}`);
    }
  }
  return problems;
}

type Finding = { severity: string; ruleId: string; message: string; suppressed?: unknown; range?: { start: { line: number } } };
type LintFn = (text: string, opts: { filename?: string; config?: { extends: string }; shellcheck?: boolean }) => Promise<Finding[]>;

async function loadLint(): Promise<LintFn> {
  const mod = (await import('../../src/lint/index.js')) as { lint?: unknown };
  if (typeof mod.lint !== 'function') throw new Error('src/lint/index.ts does not export lint()');
  return mod.lint as LintFn;
}

/** Findings that make a generated def "not clean". */
export function notClean(f: Finding): boolean {
  if (f.suppressed) return false;
  return f.severity === 'error' || f.severity === 'warning' || /^SC\d+$/.test(f.ruleId) || f.ruleId === 'DEF903';
}

/** Findings of the real linter that make a generated def "not clean", one line each. */
export async function lintProblems(def: string, filename: string, preset: 'recommended' | 'hpc' = 'recommended', shellcheck = true): Promise<string[]> {
  const lint = await loadLint();
  const findings = await lint(def, { filename, config: { extends: preset }, shellcheck });
  return findings.filter(notClean).map((f) => `${preset} ${f.range?.start.line ?? '?'} ${f.severity} ${f.ruleId}: ${f.message}`);
}

/** The errors of a recipe that must be rejected (throws when it generates). */
export function errorsOf(text: string): Problem[] {
  const r = generate(text, { filename: 'r.yaml' });
  if (r.ok) throw new Error('expected the recipe to be rejected, but it generated a def');
  return r.errors;
}

/** The warnings of a recipe that must generate (throws with its errors otherwise). */
export function warningsOf(text: string): Problem[] {
  const r = generate(text, { filename: 'r.yaml' });
  if (!r.ok) throw new Error(`expected success, got: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.warnings;
}
