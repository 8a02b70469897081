// Semantic checks that JSON Schema cannot express, one id-bearing rule each (guidance §3 and
// issue 10). Each problem points at the YAML node it is about and carries its rule's id.
import type { LoadedRecipe } from '../load.js';
import type { Plan } from '../plan.js';
import type { Problem, Recipe } from '../types.js';
import { appRules } from './app.js';
import { baseRules } from './base.js';
import { distroRules } from './distro.js';
import { fileRules } from './files.js';
import { gpuRules } from './gpu.js';
import { hpcxRules } from './hpcx.js';
import { mpiRules } from './mpi.js';
import { runRules, type RecipeRule } from './rule.js';
import { sourceRules } from './sources.js';
import { templatingRules } from './templating.js';
import { testRules } from './tests.js';

export type { RecipeRule } from './rule.js';

export const RECIPE_RULES: readonly RecipeRule[] = [
  ...baseRules,
  ...mpiRules,
  ...hpcxRules,
  ...gpuRules,
  ...fileRules,
  ...templatingRules,
  ...distroRules,
  ...testRules,
  ...appRules,
  ...sourceRules,
];

export function checkRecipe(recipe: Recipe, plan: Plan, loaded: LoadedRecipe): Problem[] {
  return runRules(RECIPE_RULES, recipe, plan, loaded);
}
