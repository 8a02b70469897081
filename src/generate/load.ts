// Reads a recipe: YAML with source positions, then JSON Schema validation (ajv, draft 2020-12).
// Every problem is reported at the YAML node it is about, so users can jump to it.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Document, type Node } from 'yaml';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Problem, Recipe } from './types.js';
import { applyHostFile } from './host.js';
import { precompiledRecipeValidator } from './recipe-validator.js';
import { describeCharacters, findPlaceholders, shellActiveCharacters } from '../parse/template.js';

type JsonSchema = Record<string, unknown>;

let cachedSchema: JsonSchema | undefined;
let cachedValidator: ValidateFunction | undefined;

/** Finds schemas/recipe.schema.json by walking up from this module (works from src/ and dist/src/). */
export function schemaPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'schemas', 'recipe.schema.json');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('schemas/recipe.schema.json not found next to the apptainer-gen installation');
}

export function recipeSchema(): JsonSchema {
  cachedSchema ??= JSON.parse(readFileSync(schemaPath(), 'utf8')) as JsonSchema;
  return cachedSchema;
}

function validator(): ValidateFunction {
  if (cachedValidator) return cachedValidator;
  if (precompiledRecipeValidator) return (cachedValidator = precompiledRecipeValidator);
  // Only without a build (src/, dist/src/): the bundles carry the validator compiled (see
  // recipe-validator.ts), and required here, not imported at the top, ajv is not in them at all.
  // The CJS module's export is the class itself, or a namespace with `default`.
  const mod = createRequire(import.meta.url)('ajv/dist/2020.js') as { default?: unknown };
  const Ajv2020 = (typeof mod === 'function' ? mod : mod.default) as new (opts: object) => {
    addKeyword(def: string): void;
    compile(schema: object): ValidateFunction;
  };
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  // Editor-only annotations used by yaml-language-server / VS Code.
  ajv.addKeyword('patternErrorMessage');
  cachedValidator = ajv.compile(recipeSchema());
  return cachedValidator;
}

/** A parsed YAML recipe plus what is needed to turn paths into line/column. */
export interface LoadedRecipe {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export type PathSegment = string | number;

/** Position of the node at `path` (the deepest existing ancestor if the path does not exist). */
export function locate(loaded: LoadedRecipe, path: PathSegment[], opts: { key?: boolean } = {}): { line: number; column: number } {
  let node: Node | null | undefined = loaded.doc.contents as Node | null;
  let keyNode: Node | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      keyNode = isScalar(pair.key) ? pair.key : undefined;
      node = pair.value as Node | null;
      if (!node) {
        node = keyNode;
        break;
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      node = item;
      keyNode = undefined;
    } else {
      break;
    }
  }
  const target = opts.key && keyNode ? keyNode : node;
  const offset = target?.range?.[0] ?? 0;
  const pos = loaded.lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

export function problemAt(
  loaded: LoadedRecipe,
  path: PathSegment[],
  message: string,
  severity: Problem['severity'] = 'error',
  opts: { key?: boolean } = {},
): Problem {
  const { line, column } = locate(loaded, path, opts);
  return { file: loaded.file, line, column, message, severity, path: pathString(path) };
}

export function pathString(path: PathSegment[]): string {
  return path.length === 0 ? '' : '/' + path.map(String).join('/');
}

function splitInstancePath(instancePath: string): PathSegment[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

function describePath(path: PathSegment[]): string {
  if (path.length === 0) return 'the recipe';
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** Levenshtein distance, for "did you mean" hints on misspelled keys. */
function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

function nearest(word: string, choices: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of choices) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** The scalar's text as written (e.g. `5.0`, which JSON would print as 5). */
function sourceText(loaded: LoadedRecipe, path: PathSegment[]): string | undefined {
  const node = loaded.doc.getIn(path, true);
  return isScalar(node) && typeof node.source === 'string' ? node.source : undefined;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value}`;
}

function ajvErrorToProblem(loaded: LoadedRecipe, err: ErrorObject, data: unknown): Problem {
  const path = splitInstancePath(err.instancePath);
  const where = describePath(path);
  const schema = (err.parentSchema ?? {}) as Record<string, unknown>;
  const value = path.reduce<unknown>((v, s) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[String(s)] : undefined), data);
  const params = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      return problemAt(loaded, path, `${where}: missing required property '${missing}'`);
    }
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      const allowed = Object.keys((schema.properties as Record<string, unknown>) ?? {});
      const guess = nearest(extra, allowed);
      const hint = guess ? ` Did you mean '${guess}'?` : '';
      return problemAt(loaded, [...path, extra], `${where}: unknown property '${extra}'.${hint} Allowed: ${allowed.join(', ')}`, 'error', { key: true });
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      const guess = typeof value === 'string' ? nearest(value, (params.allowedValues as unknown[]).map(String)) : undefined;
      const hint = guess ? ` Did you mean '${guess}'?` : '';
      return problemAt(loaded, path, `${where}: ${JSON.stringify(value)} is not allowed.${hint} Allowed: ${allowed}`);
    }
    case 'const':
      return problemAt(loaded, path, `${where}: must be ${JSON.stringify(params.allowedValue)}, not ${JSON.stringify(value)}`);
    case 'type': {
      // YAML reads 5.0 or 2021.10 as numbers; versions must be quoted to stay strings.
      const hint = typeof value === 'number' && String(params.type).includes('string') ? ` (quote it: "${String(sourceText(loaded, path) ?? value)}")` : '';
      return problemAt(loaded, path, `${where}: must be ${String(params.type).replace(/,/g, ' or ')}, not ${typeName(value)}${hint}`);
    }
    case 'pattern': {
      const why = typeof schema.patternErrorMessage === 'string' ? schema.patternErrorMessage : `must match ${String(params.pattern)}`;
      return problemAt(loaded, path, `${where}: ${why}`);
    }
    case 'propertyNames': {
      const name = String(params.propertyName);
      const namesSchema = (schema.propertyNames ?? {}) as Record<string, unknown>;
      const why = typeof namesSchema.patternErrorMessage === 'string' ? namesSchema.patternErrorMessage : 'invalid name';
      return problemAt(loaded, [...path, name], `${where}: invalid name '${name}': ${why}`, 'error', { key: true });
    }
    case 'minimum':
    case 'maximum':
      return problemAt(loaded, path, `${where}: must be ${err.keyword === 'minimum' ? '>=' : '<='} ${String(params.limit)}`);
    case 'minItems':
      return problemAt(loaded, path, `${where}: must have at least ${String(params.limit)} item(s)`);
    case 'uniqueItems':
      return problemAt(loaded, path, `${where}: items ${String(params.j)} and ${String(params.i)} are duplicates`);
    default:
      return problemAt(loaded, path, `${where}: ${err.message ?? 'is invalid'}`);
  }
}

export type LoadResult = { ok: true; recipe: Recipe; loaded: LoadedRecipe; warnings?: Problem[] } | { ok: false; errors: Problem[] };

const MAX_RECIPE_BYTES = 8 * 1024 * 1024;
const MAX_NESTING = 200;

/**
 * Rejects input that is far beyond any real recipe before the YAML parser sees it: pathological
 * nesting makes parsers recurse (or build huge regular expressions) instead of failing cleanly.
 */
function precheck(text: string, file: string): Problem | undefined {
  const at = (line: number, message: string): Problem => ({ file, line, column: 1, message, severity: 'error', path: '' });
  if (text.length > MAX_RECIPE_BYTES) return at(1, `the recipe is larger than ${MAX_RECIPE_BYTES / 1024 / 1024} MiB`);
  let depth = 0;
  let line = 1;
  let lineStart = true;
  let prefix = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      lineStart = true;
      prefix = 0;
      continue;
    }
    if (lineStart) {
      // Indentation plus block-sequence dashes: how deep the line's node is nested.
      if (c === ' ' || c === '-' || c === '\t') {
        if (++prefix > MAX_NESTING * 4) return at(line, `nesting deeper than ${MAX_NESTING} levels is not supported`);
        continue;
      }
      lineStart = false;
    }
    if (c === '[' || c === '{') {
      if (++depth > MAX_NESTING) return at(line, `nesting deeper than ${MAX_NESTING} levels is not supported`);
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

/** Parses and schema-validates a recipe. Never throws on bad input. */
export function loadRecipe(text: string, file: string): LoadResult {
  const tooBig = precheck(text, file);
  if (tooBig) return { ok: false, errors: [tooBig] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const loaded: LoadedRecipe = { file, doc, lineCounter };
  const errors: Problem[] = [];
  for (const e of doc.errors) {
    const pos = lineCounter.linePos(e.pos[0]);
    errors.push({ file, line: pos.line, column: pos.col, message: `YAML: ${e.message.split('\n')[0]}`, severity: 'error', path: '' });
  }
  if (errors.length) return { ok: false, errors };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return { ok: false, errors: [{ file, line: 1, column: 1, message: `YAML: ${(e as Error).message}`, severity: 'error', path: '' }] };
  }
  if (data === null || data === undefined) {
    return {
      ok: false,
      errors: [{ file, line: 1, column: 1, message: 'the recipe is empty: expected a mapping with apiVersion and name', severity: 'error', path: '' }],
    };
  }
  const validate = validator();
  if (!validate(data)) {
    const seen = new Set<string>();
    for (const err of validate.errors ?? []) {
      // `if/then`-style duplicates and propertyNames' generic wrapper add nothing for a person.
      // A bad key yields the inner pattern error (tagged with `propertyName`) and a
      // propertyNames wrapper; only the wrapper is reported, at the key's position.
      if ((err as ErrorObject & { propertyName?: string }).propertyName !== undefined) continue;
      const problem = ajvErrorToProblem(loaded, err, data);
      const key = `${problem.line}:${problem.column}:${problem.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        errors.push(problem);
      }
    }
    errors.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, errors };
  }
  const templated = checkTemplateValues(loaded, data as Record<string, unknown>, validate);
  if (templated.length) return { ok: false, errors: templated };
  const recipe = data as Recipe;
  // `host: host.yaml` fills the host-facing MPI fields the recipe leaves unset.
  if (recipe.host !== undefined) {
    const fromHost = applyHostFile(file, recipe, (path, message, severity) => problemAt(loaded, path, message, severity));
    const hostErrors = fromHost.filter((p) => p.severity === 'error');
    if (hostErrors.length) return { ok: false, errors: hostErrors };
    return { ok: true, recipe, loaded, warnings: fromHost };
  }
  return { ok: true, recipe, loaded };
}

// ---- template values ------------------------------------------------------------------------------
// Apptainer pastes a `{{ NAME }}` value raw wherever the placeholder stands, so an `arguments`
// default must be as valid as the field it lands in: the recipe with every default substituted must
// pass the schema again, and a value that lands in shell code may hold no shell-active character.

/** Fields Apptainer does not run as shell: labels, help text, header values, %files, job script. */
function isShellContext(path: PathSegment[]): boolean {
  const [top, , field] = path;
  if (['description', 'help', 'labels', 'base', 'files', 'target', 'jobScript', 'name', 'apiVersion', 'stages', 'host'].includes(String(top))) {
    return top === 'stages' && !['image', 'bootstrap'].includes(String(path[2]));
  }
  if (top === 'apps' && (field === 'help' || field === 'labels')) return false;
  return true;
}

/** Every string in `value` with its path (object keys are names, not templated). */
function eachTemplatedString(value: unknown, path: PathSegment[], visit: (text: string, path: PathSegment[]) => void): void {
  if (typeof value === 'string') {
    if (value.includes('{{')) visit(value, path);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => eachTemplatedString(item, [...path, index], visit));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) eachTemplatedString(item, [...path, key], visit);
  }
}

function checkTemplateValues(loaded: LoadedRecipe, data: Record<string, unknown>, validate: ValidateFunction): Problem[] {
  const defaults = (data.arguments ?? {}) as Record<string, string>;
  if (Object.keys(defaults).length === 0) return [];
  const problems: Problem[] = [];
  const reported = new Set<string>();
  const substituted = structuredClone(data);
  eachTemplatedString(data, [], (text, path) => {
    if (path[0] === 'arguments') return;
    let out = '';
    let last = 0;
    for (const placeholder of findPlaceholders(text)) {
      const value = Object.hasOwn(defaults, placeholder.name) ? defaults[placeholder.name] : undefined;
      if (value === undefined || placeholder.skipped) continue; // undefined ones: see rules.ts
      out += text.slice(last, placeholder.start) + value;
      last = placeholder.end;
      const active = isShellContext(path) ? shellActiveCharacters(value) : [];
      const key = `${placeholder.name}\0${describePath(path)}`;
      if (active.length && !reported.has(key)) {
        reported.add(key);
        problems.push(
          problemAt(
            loaded,
            ['arguments', placeholder.name],
            `arguments.${placeholder.name}: Apptainer pastes this value raw into shell code at ${describePath(path)} ({{ ${placeholder.name} }}), ` +
              `so it may not contain ${describeCharacters(active)}; only letters, digits, spaces and _ / . , : = + @ % ^ ~ - are safe there`,
          ),
        );
      }
    }
    setIn(substituted, path, out + text.slice(last));
  });
  if (!validate(substituted)) {
    for (const err of validate.errors ?? []) {
      if ((err as ErrorObject & { propertyName?: string }).propertyName !== undefined) continue;
      const inner = ajvErrorToProblem(loaded, err, substituted);
      const message = `with the arguments defaults substituted, ${inner.message}`;
      if (!reported.has(message)) {
        reported.add(message);
        problems.push({ ...inner, message });
      }
    }
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

function setIn(target: unknown, path: PathSegment[], value: string): void {
  let node = target as Record<string, unknown>;
  for (const segment of path.slice(0, -1)) node = node[String(segment)] as Record<string, unknown>;
  node[String(path[path.length - 1])] = value;
}
