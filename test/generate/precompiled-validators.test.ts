// The bundles validate recipes and lint configs with ajv standalone code compiled at build time
// (scripts/standalone-validators.mjs); it must accept, reject and explain exactly as the schema
// compiled at run time does.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import { repoRoot } from '../helpers/corpus.js';
import { ensureBuilt } from '../lsp/build.js';

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };

const dir = mkdtempSync(join(tmpdir(), 'apptainer-gen-validators-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function compiled(which: 'recipe' | 'lint-config'): Promise<Validate> {
  const { standaloneValidator } = (await import(pathToFileURL(join(repoRoot, 'scripts/standalone-validators.mjs')).href)) as {
    standaloneValidator: (root: string, which: string) => Promise<string>;
  };
  const file = join(dir, `${which}.mjs`);
  const requireFrom = JSON.stringify(join(repoRoot, 'package.json'));
  writeFileSync(
    file,
    `import { createRequire } from 'node:module';\nconst require = createRequire(${requireFrom});\n${await standaloneValidator(repoRoot, which)}`,
  );
  return ((await import(pathToFileURL(file).href)) as { validate: Validate }).validate;
}

function runtime(which: 'recipe' | 'lint-config'): Validate {
  const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', `${which}.schema.json`), 'utf8')) as object;
  if (which === 'lint-config') return new Ajv.default({ allErrors: true, strict: false }).compile(schema) as Validate;
  const ajv = new Ajv2020.default({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true });
  ajv.addKeyword('patternErrorMessage');
  return ajv.compile(schema) as Validate;
}

function verdict(validate: Validate, data: unknown): string {
  const ok = validate(structuredClone(data));
  return JSON.stringify({ ok, errors: validate.errors ?? null });
}

/** Each input, then broken copies: a key removed, a value of the wrong type, an unknown key. */
function withMutations(inputs: Record<string, unknown>[]): unknown[] {
  const out: unknown[] = [];
  for (const input of inputs) {
    out.push(input);
    for (const key of Object.keys(input)) {
      const { [key]: _removed, ...rest } = input;
      out.push(rest, { ...input, [key]: 42 }, { ...input, [key]: ['x'] });
    }
    out.push({ ...input, notAField: true });
  }
  return out;
}

describe('precompiled schema validators', () => {
  it('recipes: same verdicts and errors as the run-time compiled schema', async () => {
    const recipesDir = join(repoRoot, 'fixtures/recipes');
    const recipes = readdirSync(recipesDir)
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => parseYaml(readFileSync(join(recipesDir, name), 'utf8')) as Record<string, unknown>);
    expect(recipes.length).toBeGreaterThan(10);
    const [fast, slow] = [await compiled('recipe'), runtime('recipe')];
    const cases = withMutations(recipes);
    for (const data of cases) expect(verdict(fast, data)).toBe(verdict(slow, data));
    expect(cases.filter((data) => !slow(structuredClone(data))).length).toBeGreaterThan(cases.length / 2);
  });

  it('lint configs: same verdicts and errors as the run-time compiled schema', async () => {
    const configs: Record<string, unknown>[] = [
      { extends: 'recommended', rules: { DEF306: 'off', SC2086: 'warning' } },
      { extends: ['hpc'], failOn: 'warning', shellcheck: { enabled: true, exclude: ['SC2016'] }, ignorePatterns: ['build/'] },
      { overrides: [{ files: ['*.def'], rules: { DEF101: 'error' } }], settings: { trustedRegistries: ['docker.io'] } },
    ];
    const [fast, slow] = [await compiled('lint-config'), runtime('lint-config')];
    for (const data of withMutations(configs)) expect(verdict(fast, data)).toBe(verdict(slow, data));
  });
});

describe('bundles', () => {
  // The validators are compiled at build time: ajv's schema compiler (whose messages include
  // 'schema with key or id') would be code to read and load at every start for nothing.
  it('carry no JSON Schema compiler', () => {
    ensureBuilt();
    const bundleDir = join(repoRoot, 'dist', 'bundle');
    const files = [
      ...readdirSync(bundleDir).map((name) => join(bundleDir, name)),
      ...readdirSync(join(bundleDir, 'chunks')).map((name) => join(bundleDir, 'chunks', name)),
    ];
    const withCompiler = files.filter((file) => file.endsWith('js') && readFileSync(file, 'utf8').includes('schema with key or id'));
    expect(withCompiler).toEqual([]);
  });
});
