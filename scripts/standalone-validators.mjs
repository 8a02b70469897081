// ajv's standalone code for the two JSON Schemas, with the same options the loaders use at run
// time (src/generate/load.ts for recipes, src/lint/config.ts for lint configs). Used by
// scripts/bundle.mjs, and by test/generate/precompiled-validators.test.ts to hold the compiled
// validators equal to the run-time ones.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SCHEMAS = {
  recipe: { file: 'recipe.schema.json', module: 'ajv/dist/2020.js', options: { allErrors: true, strict: true, allowUnionTypes: true, verbose: true } },
  'lint-config': { file: 'lint-config.schema.json', module: 'ajv', options: { allErrors: true, strict: false } },
};

/** ES-module source whose `validate` export validates against the schema. */
export async function standaloneValidator(root, which) {
  const { file, module, options } = SCHEMAS[which];
  const standaloneModule = (await import('ajv/dist/standalone/index.js')).default;
  const standaloneCode = standaloneModule.default ?? standaloneModule;
  const Ajv = (await import(module)).default;
  const ajv = new Ajv({ ...options, code: { source: true, esm: true } });
  // Editor-only annotation used by yaml-language-server / VS Code (as in load.ts).
  if (which === 'recipe') ajv.addKeyword('patternErrorMessage');
  const validate = ajv.compile(JSON.parse(readFileSync(join(root, 'schemas', file), 'utf8')));
  return standaloneCode(ajv, validate);
}
