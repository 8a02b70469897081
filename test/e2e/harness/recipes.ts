// Inputs for the proofs: the def file (and job script) `apptainer-gen` generates from a
// recipe in fixtures/recipes/, or, while that recipe does not exist yet, a hand-written
// stand-in from test/e2e/fixtures/. Which one was used is part of every test's name.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, runChecked } from './process.js';
import { FIXTURES } from './workspace.js';

export interface ProofInputs {
  def: string;
  jobScript?: string;
  /** Build context (relative %files sources). */
  contextDir: string;
  source: 'generated' | 'hand-written';
  recipe: string;
}

export const CLI = path.join(REPO_ROOT, 'bin/apptainer-gen.js');

export function recipePath(name: string): string {
  return path.join(REPO_ROOT, 'fixtures/recipes', `${name}.yaml`);
}

/** Runs the built CLI, as users do (`npm run build` first; `npm run test:e2e` does it). */
export async function apptainerGen(args: string[], cwd = REPO_ROOT) {
  if (!existsSync(path.join(REPO_ROOT, 'dist'))) {
    throw new Error('dist/ is missing: run `npm run build` before the e2e suite');
  }
  return runChecked([process.execPath, CLI, ...args], { cwd });
}

/**
 * Generates the def and job script for `recipe` into `outDir` (generation must succeed), or,
 * when `generate` is false (the recipe does not exist yet), returns the hand-written fallback.
 */
export async function proofInputs(
  recipe: string,
  outDir: string,
  fallback: { def: string; jobScript?: string },
  generate = recipeExists(recipe),
): Promise<ProofInputs> {
  const yaml = recipePath(recipe);
  if (!generate) {
    return {
      def: path.join(FIXTURES, fallback.def),
      jobScript: fallback.jobScript ? path.join(FIXTURES, fallback.jobScript) : undefined,
      contextDir: path.dirname(path.join(FIXTURES, fallback.def)),
      source: 'hand-written',
      recipe,
    };
  }
  mkdirSync(outDir, { recursive: true });
  const def = path.join(outDir, `${recipe}.def`);
  const jobScript = path.join(outDir, `${recipe}.job.sh`);
  await apptainerGen([yaml, '-o', def, '--job-script', jobScript]);
  return { def, jobScript: existsSync(jobScript) ? jobScript : undefined, contextDir: path.dirname(yaml), source: 'generated', recipe };
}

export function recipeExists(name: string): boolean {
  return existsSync(recipePath(name));
}
