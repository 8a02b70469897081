// The shape of a recipe rule: an id, what it checks, and a check that reports problems located
// at YAML nodes. Rules see the recipe as written and the resolved plan (defaults applied).
import { problemAt, type LoadedRecipe, type PathSegment } from '../load.js';
import type { Plan } from '../plan.js';
import type { Problem, Recipe } from '../types.js';

export interface RuleContext {
  recipe: Recipe;
  plan: Plan;
  mpi: NonNullable<Recipe['mpi']>;
  error(path: PathSegment[], message: string, key?: boolean): void;
  warn(path: PathSegment[], message: string, key?: boolean): void;
}

export interface RecipeRule {
  /** `GEN` + three digits; the hundreds say the area (1 base, 2 MPI, 3 GPU, 4 files, 5 templating, 6 distribution, 7 %test, 8 application, Python, repositories and job script). */
  id: string;
  summary: string;
  check(ctx: RuleContext): void;
}

export function runRules(rules: readonly RecipeRule[], recipe: Recipe, plan: Plan, loaded: LoadedRecipe): Problem[] {
  const problems: Problem[] = [];
  for (const rule of rules) {
    const at =
      (severity: 'error' | 'warning') =>
      (path: PathSegment[], message: string, key = false) =>
        problems.push({ ...problemAt(loaded, path, message, severity, { key }), ruleId: rule.id });
    rule.check({ recipe, plan, mpi: recipe.mpi ?? {}, error: at('error'), warn: at('warning') });
  }
  return problems;
}

export function under(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + '/');
}

/** Directories Apptainer binds from the host by default (build and run time). */
export const BOUND_DIRS = ['/tmp', '/var/tmp', '/home', '/proc', '/sys', '/dev'];

/** Visits every string in the recipe with its path. */
export function eachString(value: unknown, path: PathSegment[], visit: (s: string, path: PathSegment[]) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => eachString(v, [...path, i], visit));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) eachString(v, [...path, k], visit);
  }
}
