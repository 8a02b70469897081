// A recipe value can never inject def structure: newlines, lines starting with '%', 'Bootstrap:'
// lines and '{{' are either rejected (with a located error) or end up inert in the output.
import { describe, expect, it } from 'vitest';
import { generate } from '../../src/generate/index.js';
import { parse } from '../../src/parse/index.js';
import { parseProblems } from './helpers.js';

const BASE = {
  apiVersion: 'apptainer-gen/v1',
  name: 'inject',
  base: { image: 'ubuntu:22.04' },
  mpi: { model: 'pmi', impl: 'openmpi', source: 'distro', pmi: { interface: 'pmix' } },
  app: { build: { script: 'echo build' } },
  runscript: 'exec echo run "$@"',
  apps: { tool: { run: 'exec echo tool' } },
  jobScript: { nodes: 1 },
};

/** Section layout of a def: which sections each stage has, in order. */
function layout(def: string): string[] {
  return parse(def).stages.map((s) => `${s.name ?? '-'}: ${s.sections.map((x) => `%${x.name}${x.app ? ' ' + x.app : ''}`).join(' ')}`);
}

type Setter = (recipe: Record<string, any>, value: string) => void;

const FIELDS: Record<string, { set: Setter; path: string; safe?: string }> = {
  'env value': { set: (r, v) => (r.env = { X: v }), path: '/env/X' },
  'label value': { set: (r, v) => (r.labels = { note: v }), path: '/labels/note' },
  description: { set: (r, v) => (r.description = v), path: '/description' },
  help: { set: (r, v) => (r.help = v), path: '/help' },
  runscript: { set: (r, v) => (r.runscript = v), path: '/runscript' },
  'runscript exec arg': { set: (r, v) => (r.runscript = { exec: ['/opt/app/bin/x', v] }), path: '/runscript/exec/1' },
  test: { set: (r, v) => (r.test = v), path: '/test' },
  startscript: { set: (r, v) => (r.startscript = v), path: '/startscript' },
  'build script': { set: (r, v) => (r.app.build.script = v), path: '/app/build/script' },
  'app run': { set: (r, v) => (r.apps.tool.run = v), path: '/apps/tool/run' },
  'app env': { set: (r, v) => (r.apps.tool.env = { Y: v }), path: '/apps/tool/env/Y' },
  'app help': { set: (r, v) => (r.apps.tool.help = v), path: '/apps/tool/help' },
  'files src': { set: (r, v) => (r.files = [{ src: v, dst: '/opt/data' }]), path: '/files/0/src' },
  'files dst': { set: (r, v) => (r.files = [{ src: 'data', dst: v }]), path: '/files/0/dst', safe: '/opt/data' },
  'base image': { set: (r, v) => (r.base.image = v), path: '/base/image', safe: 'ubuntu:24.04' },
  'argument value': { set: (r, v) => (r.arguments = { A: v }), path: '/arguments/A' },
  'job extraEnv': { set: (r, v) => (r.jobScript.extraEnv = { Z: v }), path: '/jobScript/extraEnv/Z' },
  'mpi configure': { set: (r, v) => (r.mpi.configure = [v]), path: '/mpi/configure/0', safe: '--enable-foo' },
  'package name': { set: (r, v) => (r.packages = { apt: [v] }), path: '/packages/apt/0' },
};

const ATTACKS: Record<string, string> = {
  newline: 'a\nb',
  'percent line': 'ok\n%post\necho pwned',
  'indented percent line': 'ok\n   %files',
  'nbsp percent line': 'ok\n\u00a0%environment',
  'bare percent': '%runscript',
  'bootstrap line': 'ok\nBootstrap: docker\nFrom: alpine',
  'bootstrap value': 'Bootstrap: scratch',
  'lowercase bootstrap line': 'x\nbootstrap:scratch',
  placeholder: '{{ EVIL }}',
  'open braces': 'a {{ b',
  'carriage return': 'a\rb',
};

describe('recipe values cannot inject def structure', () => {
  it('baseline has the expected two-stage layout', () => {
    const baseline = generate(JSON.stringify(BASE), { filename: 'inject.yaml' });
    expect(baseline.ok && layout(baseline.def)).toEqual(['build: %post', 'runtime: %files %post %environment %runscript %test %labels %help %apprun tool']);
  });

  for (const [field, { set, path, safe }] of Object.entries(FIELDS)) {
    // The same field with a harmless value gives the layout the attack must not change.
    const reference = structuredClone(BASE) as Record<string, any>;
    set(reference, safe ?? 'harmless');
    const referenceResult = generate(JSON.stringify(reference), { filename: 'inject.yaml' });
    for (const [attack, value] of Object.entries(ATTACKS)) {
      it(`${field}: ${attack}`, () => {
        if (!referenceResult.ok) throw new Error(referenceResult.errors.map((e) => e.message).join('\n'));
        const recipe = structuredClone(BASE) as Record<string, any>;
        set(recipe, value);
        const result = generate(JSON.stringify(recipe, null, 2), { filename: 'inject.yaml' });
        if (!result.ok) {
          // Rejected: the error must point at the offending value.
          expect(
            result.errors.some((e) => e.path.startsWith(path)),
            JSON.stringify(result.errors),
          ).toBe(true);
          return;
        }
        // Accepted: the structure is unchanged and clean; the value is inert.
        expect(parseProblems(result.def)).toEqual([]);
        expect(layout(result.def)).toEqual(layout(referenceResult.def));
        const parsed = parse(result.def);
        expect(parsed.stages.flatMap((s) => s.placeholders.filter((p) => !p.skipped).map((p) => p.name))).toEqual([]);
      });
    }
  }

  it('escapes quotes, backslashes and backticks in environment values', () => {
    const recipe = structuredClone(BASE) as Record<string, any>;
    recipe.env = { X: 'say "hi" \\ `id` $HOME' };
    const result = generate(JSON.stringify(recipe), { filename: 'inject.yaml' });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.def).toContain('export X="say \\"hi\\" \\\\ \\`id\\` $HOME"');
  });
});

describe('linear-time validation', () => {
  // Its time is not asserted here (npm test runs on busy machines); growth is measured by npm run bench.
  it('handles a 200k-line script and long whitespace runs', () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => (i % 2 ? '' : `echo ${i}`)).join('\n');
    const recipe = { ...structuredClone(BASE), app: { build: { script: lines + '\n' + ' '.repeat(100_000) + '\n' } } };
    const result = generate(JSON.stringify(recipe), { filename: 'big.yaml' });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.def).toContain('echo 199998');
  });
});
