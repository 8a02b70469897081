// The lint configuration schema's validator, compiled ahead of time. In the bundles
// scripts/bundle.mjs puts ajv's standalone code for schemas/lint-config.schema.json here; run from
// source, there is none and config.ts compiles the schema.
export const precompiledConfigValidator: ((data: unknown) => boolean) | undefined = undefined;
