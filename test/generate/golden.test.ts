// Golden outputs for the example recipes: fixtures/recipes/NAME.yaml -> NAME.def (+ NAME.job.sh).
// Refresh with: UPDATE_GOLDEN=1 npx vitest run test/generate
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../src/parse/index.js';
import { RECIPES, mustGenerate, parseProblems, readRecipe, recipeFiles, shellSyntaxProblems } from './helpers.js';

const update = process.env.UPDATE_GOLDEN === '1';

/** The examples that show a warning on purpose. */
const EXPECTED_WARNINGS: Record<string, unknown[]> = {
  'templated-apps.yaml': [expect.stringContaining('mpi.version is a build argument')],
  // No published checksum of the micromamba binary was at hand: the recipe says so, as users will see it.
  'conda-mpi4py-mpich.yaml': [expect.stringContaining('micromamba binary is downloaded without a checksum')],
  // Nor of the HPC-X tarball, which cannot be downloaded here.
  'hpcx-cuda-hybrid.yaml': [expect.stringContaining('the HPC-X tarball is downloaded without a checksum')],
};

function checkGolden(path: string, actual: string | undefined): void {
  if (update) {
    if (actual === undefined) {
      if (existsSync(path)) unlinkSync(path);
    } else writeFileSync(path, actual);
    return;
  }
  if (actual === undefined) {
    expect(existsSync(path), `${path} should not exist`).toBe(false);
    return;
  }
  expect(existsSync(path), `missing golden ${path} (run UPDATE_GOLDEN=1 npx vitest run test/generate)`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

describe('example recipes', () => {
  const files = recipeFiles();

  it('has at least 12 examples', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  for (const file of files) {
    describe(file, () => {
      const text = readRecipe(file);
      const result = mustGenerate(text, file);
      const base = join(RECIPES, file.replace(/\.yaml$/, ''));

      it('matches its golden def and job script', () => {
        checkGolden(`${base}.def`, result.def);
        checkGolden(`${base}.job.sh`, result.jobScript);
      });

      it('has no warnings', () => {
        expect(result.warnings.map((w) => `${w.line}:${w.column} ${w.message}`)).toEqual(EXPECTED_WARNINGS[file] ?? []);
      });

      it('parses with no diagnostics', () => {
        expect(parseProblems(result.def)).toEqual([]);
      });

      it('has shell sections that pass bash -n / sh -n', () => {
        expect(shellSyntaxProblems(result.def)).toEqual([]);
      });

      it('is deterministic', () => {
        expect(mustGenerate(text, file).def).toBe(result.def);
      });

      it('has one section of each kind per stage and a strict %post', () => {
        const parsed = parse(result.def);
        for (const stage of parsed.stages) {
          const kinds = stage.sections.map((s) => `${s.name} ${s.app ?? ''} ${s.name === 'files' ? s.args : ''}`);
          expect(new Set(kinds).size).toBe(kinds.length);
          const post = stage.sections.find((s) => s.name === 'post');
          expect(post?.shell?.errexit).toBe(true);
          expect(post?.body.startsWith('set -euo pipefail\n')).toBe(true);
        }
      });
    });
  }
});
