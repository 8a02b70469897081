// The recipe schema's validator, compiled ahead of time. In the bundles scripts/bundle.mjs puts
// ajv's standalone code for schemas/recipe.schema.json here (compiling the schema at run time took
// most of a one-recipe run); run from source, there is none and load.ts compiles the schema.
import type { ValidateFunction } from 'ajv';

export const precompiledRecipeValidator: ValidateFunction | undefined = undefined;
