// Library entry point: the parser, the linter and the generator.
//
//   import { parse, lint, generate } from 'apptainer-gen';
export { parse, parseForBuild, substituteTemplates, findPlaceholders } from './parse/index.js';
export type * from './parse/model.js';
export { lint, fix, applyFixes, loadConfigFor, resolveConfig, allRules, findRule } from './lint/index.js';
export type { Finding, Fix, Rule, RuleMeta, Severity } from './lint/types.js';
export { generate } from './generate/index.js';
export { format } from './format/index.js';
export { VERSION } from './version.js';
