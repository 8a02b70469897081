// Every generated def must lint clean (no errors or warnings) under the recommended preset.
// The linter is imported for real: if src/lint/index.ts or its `lint` export is missing, this
// test fails instead of passing vacuously.
import { describe, expect, it } from 'vitest';
import { mustGenerate, readRecipe, recipeFiles } from './helpers.js';

type LintFn = (text: string, opts: { filename?: string }) => Promise<{ severity: string; ruleId: string; message: string; suppressed?: unknown; range?: { start: { line: number } } }[]>;

async function loadLint(): Promise<LintFn> {
  const mod = (await import('../../src/lint/index.js')) as { lint?: unknown };
  if (typeof mod.lint !== 'function') throw new Error('src/lint/index.ts does not export lint()');
  return mod.lint as LintFn;
}

export async function lintProblems(def: string, filename: string): Promise<string[]> {
  const lint = await loadLint();
  const findings = await lint(def, { filename });
  return findings
    .filter((f) => !f.suppressed && (f.severity === 'error' || f.severity === 'warning'))
    .map((f) => `${f.range?.start.line ?? '?'} ${f.severity} ${f.ruleId}: ${f.message}`);
}

describe('generated defs lint clean (recommended preset)', () => {
  for (const file of recipeFiles()) {
    it(file, async () => {
      const { def, jobScript } = mustGenerate(readRecipe(file), file);
      expect(await lintProblems(def, file.replace(/\.yaml$/, '.def'))).toEqual([]);
      expect(jobScript === undefined || jobScript.startsWith('#!/bin/bash\n')).toBe(true);
    }, 30_000);
  }
});
