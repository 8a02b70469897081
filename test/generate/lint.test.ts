// Every generated def must lint clean under the recommended AND hpc presets with ShellCheck on:
// no errors or warnings, no ShellCheck finding of any level (SC2015 was one), and no DEF903
// (unused %arguments in a stage). The linter is imported for real: if src/lint/index.ts or its
// `lint` export is missing, this test fails instead of passing vacuously.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { lintProblems, mustGenerate, readRecipe, recipeFiles } from './helpers.js';

describe('generated defs lint clean (recommended and hpc, ShellCheck on)', () => {
  it('has ShellCheck installed (otherwise the SC checks below would prove nothing)', () => {
    expect(spawnSync('shellcheck', ['--version']).status).toBe(0);
  });
  for (const file of recipeFiles()) {
    it(
      file,
      async () => {
        const { def, jobScript } = mustGenerate(readRecipe(file), file);
        const name = file.replace(/\.yaml$/, '.def');
        expect([...(await lintProblems(def, name, 'recommended')), ...(await lintProblems(def, name, 'hpc'))]).toEqual([]);
        expect(jobScript === undefined || jobScript.startsWith('#!/bin/bash\n')).toBe(true);
      },
      60_000,
    );
  }
});
