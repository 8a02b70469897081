// The `generate` and `schema` commands: exit codes, stdout/stderr, atomic files, no partial output.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as generateCmd } from '../../src/cli/commands/generate.js';
import { run as schemaCmd } from '../../src/cli/commands/schema.js';
import { RECIPES } from './helpers.js';

let dir: string;
let out: string;
let err: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apptainer-gen-cli-'));
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err += String(chunk);
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('apptainer-gen generate', () => {
  it('prints the def to stdout', async () => {
    const code = await generateCmd([join(RECIPES, 'openmpi-pmix.yaml')]);
    expect(code).toBe(0);
    expect(out).toBe(readFileSync(join(RECIPES, 'openmpi-pmix.def'), 'utf8'));
    expect(err).toBe('');
  });

  it('writes -o and --job-script files, leaving no temporary files behind', async () => {
    const def = join(dir, 'debian-openmpi-pmi.def');
    const job = join(dir, 'job.sh');
    const code = await generateCmd([join(RECIPES, 'debian-openmpi-pmi.yaml'), '-o', def, '--job-script', job]);
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(readFileSync(def, 'utf8')).toBe(readFileSync(join(RECIPES, 'debian-openmpi-pmi.def'), 'utf8'));
    expect(readFileSync(job, 'utf8')).toContain('srun --mpi=pmix apptainer exec "$IMAGE" /opt/app/bin/mpi-hello');
    expect(readdirSync(dir).sort()).toEqual(['debian-openmpi-pmi.def', 'job.sh']);
  });

  it('writes the job script to jobScript.path when --job-script is not given', async () => {
    const recipe = join(dir, 'r.yaml');
    const job = join(dir, 'run.sbatch');
    writeFileSync(
      recipe,
      `apiVersion: apptainer-gen/v1\nname: r\nbase:\n  image: ubuntu:22.04\nmpi:\n  model: hybrid\n  impl: openmpi\n  version: 4.1.6\njobScript:\n  path: run.sbatch\n  nodes: 3\n`,
    );
    expect(await generateCmd([recipe, '-o', join(dir, 'r.def')])).toBe(0);
    const text = readFileSync(job, 'utf8');
    expect(text).toContain('#SBATCH --nodes=3');
    expect(text).toContain('mpirun -n "$SLURM_NTASKS" apptainer run "$IMAGE"');
  });

  it('on errors exits 2, reports file:line:column and writes nothing', async () => {
    const recipe = join(dir, 'bad.yaml');
    writeFileSync(
      recipe,
      'apiVersion: apptainer-gen/v1\nname: bad\nbase:\n  image: ubuntu:22.04\nmpi:\n  model: pmi\n  impl: openmpi\n  version: 5.0.5\n  pmi:\n    interface: pmi2\n',
    );
    const def = join(dir, 'app.def');
    const job = join(dir, 'job.sh');
    const code = await generateCmd([recipe, '-o', def, '--job-script', job]);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(new RegExp(`^${recipe.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:10:16: error: .*supports only PMIx`, 'm'));
    expect(existsSync(def)).toBe(false);
    expect(existsSync(job)).toBe(false);
  });

  it('prints warnings to stderr with positions but still generates', async () => {
    const recipe = join(dir, 'warn.yaml');
    writeFileSync(
      recipe,
      'apiVersion: apptainer-gen/v1\nname: w\nbase:\n  image: ubuntu:22.04\nmpi:\n  model: pmi\n  impl: mpich\n  pmi:\n    interface: pmi2\ntest: |\n  mpirun -np 8 hostname\n',
    );
    const code = await generateCmd([recipe]);
    expect(code).toBe(0);
    expect(err).toContain(`${recipe}:10:7: warning: %test runs at the end of the build`);
    expect(out).toMatch(/^Bootstrap: docker\n/);
  });

  it('exits 2 for usage errors and unreadable files', async () => {
    expect(await generateCmd([])).toBe(2);
    expect(await generateCmd([join(dir, 'missing.yaml')])).toBe(2);
    expect(err).toContain('no such file or directory');
    expect(await generateCmd([join(RECIPES, 'openmpi-pmix.yaml'), '--bogus'])).toBe(2);
    expect(await generateCmd([join(RECIPES, 'openmpi-pmix.yaml'), '-o'])).toBe(2);
    expect(out).toBe('');
  });
});

describe('apptainer-gen schema', () => {
  it('prints the JSON Schema', async () => {
    expect(await schemaCmd([])).toBe(0);
    const schema = JSON.parse(out);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.properties.mpi.properties.model.enum).toEqual(['none', 'hybrid', 'bind', 'pmi']);
    expect(schema).toEqual(JSON.parse(readFileSync(join(RECIPES, '..', '..', 'schemas', 'recipe.schema.json'), 'utf8')));
  });

  it('documents every property for editor hover', async () => {
    await schemaCmd([]);
    const missing: string[] = [];
    const walk = (node: Record<string, any>, path: string) => {
      for (const [key, prop] of Object.entries<Record<string, any>>(node.properties ?? {})) {
        if (key !== '$schema' && !prop.description) missing.push(`${path}.${key}`);
        walk(prop, `${path}.${key}`);
        if (prop.additionalProperties && typeof prop.additionalProperties === 'object') walk(prop.additionalProperties, `${path}.${key}.*`);
        if (prop.items && typeof prop.items === 'object') walk(prop.items, `${path}.${key}[]`);
      }
    };
    walk(JSON.parse(out), '');
    expect(missing).toEqual([]);
  });
});

describe('build instructions name the written def file', () => {
  it('uses the -o file name in %help and the job script, and refuses names that are not plain', async () => {
    const { generate } = await import('../../src/generate/index.js');
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../../fixtures/recipes/openmpi-pmix.yaml', import.meta.url), 'utf8');
    const named = generate(text, { filename: 'openmpi-pmix.yaml', jobScript: true, defFile: 'out/app.def' });
    expect(named.ok && named.def).toContain('apptainer build openmpi-pmix.sif app.def');
    expect(named.ok && named.jobScript).toContain('openmpi-pmix.sif app.def');
    const odd = generate(text, { filename: 'openmpi-pmix.yaml', defFile: 'x\n%post.def' });
    expect(odd.ok && odd.def).toContain('apptainer build openmpi-pmix.sif openmpi-pmix.def');
  });
});

describe('apptainer-gen generate -o', () => {
  it('says what it wrote, on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gen-say-'));
    const chunks: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => (chunks.push(String(c)), true));
    try {
      const def = join(dir, 'app.def');
      expect(await generateCmd([join(RECIPES, 'openmpi-pmix.yaml'), '-o', def, '--job-script', join(dir, 'job.sh')])).toBe(0);
      expect(chunks.join('')).toBe(`apptainer-gen: wrote ${def} and ${join(dir, 'job.sh')} (the %help section of ${def} has the build and run commands)\n`);
    } finally {
      spy.mockRestore();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
