// Items 2 and 3 of issue 14: recipe `arguments` defaults and the recipe's own file name must not
// inject shell commands or def structure into the generated files.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { generate } from '../../src/generate/index.js';
import { lint } from '../../src/lint/index.js';
import { parse } from '../../src/parse/index.js';

/** The result without the ok/error union, for assertions. */
type Generated = { ok: boolean; errors: { message: string; file: string; line: number; column: number }[]; def?: string; jobScript?: string };
const gen = (...args: Parameters<typeof generate>) => generate(...args) as unknown as Generated;

const RECIPE = {
  apiVersion: 'apptainer-gen/v1',
  name: 'victim',
  base: { image: 'ubuntu:24.04' },
  app: { build: { script: 'echo building {{ TAG }}' } },
  jobScript: { nodes: 1 },
};

const PAYLOADS = ['x"; touch /tmp/pwned; echo "', '$(touch /tmp/pwned)', '`touch /tmp/pwned`', "x'; touch /tmp/pwned; '", 'a;b', 'a|b', 'a&&b', 'a>b'];

function recipeWith(tag: string, where: (recipe: Record<string, any>) => void): string {
  const recipe: Record<string, any> = structuredClone(RECIPE);
  recipe.arguments = { TAG: tag };
  where(recipe);
  return YAML.stringify(recipe);
}

const CONTEXTS: Record<string, (recipe: Record<string, any>) => void> = {
  'build script': () => undefined,
  'env value': (r) => (r.env = { FOO: 'v-{{ TAG }}' }),
  runscript: (r) => (r.runscript = 'exec echo {{ TAG }}'),
  'app env': (r) => (r.apps = { tool: { run: 'exec true', env: { BAR: '{{ TAG }}' } } }),
};

describe('recipe arguments are as strict as the fields they stand in (item 2)', () => {
  for (const [context, where] of Object.entries(CONTEXTS)) {
    for (const payload of PAYLOADS) {
      it(`${context}: rejects ${JSON.stringify(payload)}`, () => {
        const result = gen(recipeWith(payload, where), { filename: 'r.yaml' });
        expect(result.ok).toBe(false);
        const error = result.errors.find((e) => e.message.includes('arguments.TAG'));
        expect(error?.message).toContain('shell code');
        expect(error).toMatchObject({ file: 'r.yaml', line: expect.any(Number), column: expect.any(Number) });
      });
    }
  }

  it('a placeholder in a version field takes only a version', () => {
    const recipe = recipeWith('5.0', () => undefined).replace(
      'name: victim',
      'name: victim\nmpi:\n  model: pmi\n  impl: openmpi\n  version: "{{ V }}"\n  pmi:\n    interface: pmix',
    );
    const bad = gen(recipe.replace('TAG: "5.0"', 'TAG: "5.0"\n  V: "4.1 --prefix=/"'), { filename: 'r.yaml' });
    expect(bad.ok).toBe(false);
    expect(bad.errors.map((e) => e.message).join('\n')).toMatch(/arguments defaults substituted, mpi\.version/);
    const good = gen(recipe.replace('TAG: "5.0"', 'TAG: "5.0"\n  V: 4.1.6'), { filename: 'r.yaml' });
    expect(good.ok, JSON.stringify(good.errors)).toBe(true);
  });

  it('plain values still work, and labels/help may hold any one-line text', () => {
    const result = gen(
      recipeWith('v1.2_3-rc', (r) => (r.labels = { note: '{{ NOTE }}' })).replace('TAG: v1.2_3-rc', 'TAG: v1.2_3-rc\n  NOTE: "it\'s $fine; (really)"'),
      { filename: 'r.yaml' },
    );
    expect(result.ok, JSON.stringify(result.errors)).toBe(true);
    expect(result.def).toContain('TAG=v1.2_3-rc');
  });
});

describe('the recipe file name is escaped wherever it lands (item 3)', () => {
  const evilName = 'x\n%setup\n    touch pwned\n{{ TAG }}.yaml';
  const result = gen(YAML.stringify(RECIPE).replace('echo building {{ TAG }}', 'echo building'), { filename: `/some/dir/${evilName}`, jobScript: true });

  it('adds no section to the def and keeps every line a comment or help text', () => {
    expect(result.ok).toBe(true);
    const sections = parse(result.def!).stages.flatMap((stage) => stage.sections.map((section) => section.name));
    expect(sections).not.toContain('setup');
    expect(result.def).not.toMatch(/^\s*touch pwned/m);
    expect(result.def).toContain('x%0A%25setup%0A');
  });

  it('adds no command to the job script', () => {
    expect(result.jobScript).not.toMatch(/^\s*touch/m);
    expect(result.jobScript).not.toContain('{{');
    execFileSync('bash', ['-n'], { input: result.jobScript });
  });
});

describe('DEF909 flags the same injection in a def file (item 2)', () => {
  const def = (value: string, use = '%post\n    echo "{{ TAG }}"\n') => `Bootstrap: docker\nFrom: ubuntu:24.04\n\n%arguments\n    TAG=${value}\n\n${use}`;

  it('reports a %arguments default with shell-active characters used in shell code', async () => {
    const findings = await lint(def('x"; touch /tmp/pwned; "'), { shellcheck: false });
    const hit = findings.find((f) => f.ruleId === 'DEF909');
    expect(hit?.message).toContain('%post');
    expect(hit?.range.start.line).toBe(5);
  });

  it('reports it in %environment, which runs at every container start', async () => {
    const findings = await lint(def('$(id)', '%environment\n    export T={{ TAG }}\n'), { shellcheck: false });
    expect(findings.filter((f) => f.ruleId === 'DEF909')).toHaveLength(1);
  });

  it('expands a default built from other arguments before judging it, as Apptainer does', async () => {
    const nested = (url: string) =>
      `Bootstrap: docker\nFrom: ubuntu:24.04\n\n%arguments\n    VERSION=${url}\n    URL=https://example.org/{{VERSION}}/app-{{ VERSION }}.deb\n\n%post\n    curl -fsSLO "{{ URL }}"\n`;
    expect((await lint(nested('7.4.1'), { shellcheck: false })).filter((f) => f.ruleId === 'DEF909')).toEqual([]);
    expect((await lint(nested('$(id)'), { shellcheck: false })).filter((f) => f.ruleId === 'DEF909')).toHaveLength(1);
  });

  it('accepts plain values and placeholders outside shell code', async () => {
    expect((await lint(def('1.2.3'), { shellcheck: false })).filter((f) => f.ruleId === 'DEF909')).toEqual([]);
    expect((await lint(def('a;b', '%labels\n    tag {{ TAG }}\n'), { shellcheck: false })).filter((f) => f.ruleId === 'DEF909')).toEqual([]);
  });
});
