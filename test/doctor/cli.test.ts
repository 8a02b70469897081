// `apptainer-gen doctor`: exit codes (0 fits, 1 does not fit, 2 usage/input), text and JSON
// output, --host with a recorded probe, --write-host on this machine.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { run as doctor } from '../../src/cli/commands/doctor.js';
import { probeHost } from '../../src/doctor/probe.js';
import { hostToYaml, parseHostFile } from '../../src/host/file.js';
import { loadRecordedHost, replayHost } from './replay.js';

const RECIPES = path.join(path.dirname(new URL(import.meta.url).pathname), '../../fixtures/recipes');
let dir: string;
let out = '';
let err = '';

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'doctor-cli-'));
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

async function recordedHostFile(name: string): Promise<string> {
  const file = path.join(dir, `${name}.yaml`);
  writeFileSync(file, hostToYaml(await probeHost(replayHost(loadRecordedHost(name)), 5_000)));
  return file;
}

describe('apptainer-gen doctor', () => {
  test('fits: exit 0, the verdict and the host table', async () => {
    const host = await recordedHostFile('bookworm-slurm22-openmpi4');
    const code = await doctor(['--host', host, '--image', path.join(RECIPES, 'debian-openmpi-pmi.def')]);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toMatch(/^Host \(\d+ of 10 facts known\)/);
    expect(out).toContain('pmi model (srun starts the ranks): fits');
    expect(out).toMatch(/\nVerdict: fits\n$/);
  });

  test('does not fit: exit 1, reason and fix printed', async () => {
    const host = await recordedHostFile('el9-slurm23-pmix-only-openmpi5-a100');
    const code = await doctor(['--host', host, '--image', path.join(RECIPES, 'debian-mpich-pmi2.def')]);
    expect(code).toBe(1);
    expect(out).toContain('pmi model (srun starts the ranks): does not fit');
    expect(out).toContain('FAIL image has MPICH (distro) with PMI pmi2; this Slurm 23.11.4 offers pmix only');
    expect(out).toContain('fix: regenerate with `mpi.pmi.interface: pmix`');
    expect(out).toMatch(/Verdict: does not fit\n$/);
  });

  test('--format json carries the verdicts and the host facts', async () => {
    const host = await recordedHostFile('el9-slurm23-pmix-only-openmpi5-a100');
    const code = await doctor(['--host', host, '--image', path.join(RECIPES, 'cuda-openmpi-aware.def'), '-f', 'json']);
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.overall).toBe('fits');
    expect(json.verdicts.map((v: { subject: string; status: string }) => [v.subject, v.status])).toEqual([
      ['pmi model (srun starts the ranks)', 'fits'],
      ['NVIDIA GPU (apptainer --nv)', 'fits'],
    ]);
    expect(json.host.gpu.nvidia.value.version).toBe('550.54.15');
    expect(json.image.gpu).toMatchObject({ vendor: 'nvidia', cuda: '12.4.1' });
  });

  test('unknown facts: exit 0, exit 1 with --strict', async () => {
    const host = await recordedHostFile('login-node-bare');
    const image = path.join(RECIPES, 'debian-openmpi-pmi.def');
    expect(await doctor(['--host', host, '--image', image])).toBe(0);
    expect(out).toContain('Verdict: could not decide (some facts are unknown)');
    expect(await doctor(['--host', host, '--image', image, '--strict'])).toBe(1);
  });

  test('--job: the PMI mismatch in the job script does not fit', async () => {
    const host = await recordedHostFile('bookworm-slurm22-openmpi4');
    const job = path.join(dir, 'job.sh');
    writeFileSync(job, readFileSync(path.join(RECIPES, 'debian-mpich-pmi2.job.sh'), 'utf8').replaceAll('--mpi=pmi2', '--mpi=pmix'));
    expect(await doctor(['--host', host, '--image', path.join(RECIPES, 'debian-mpich-pmi2.def'), '--job', job])).toBe(1);
    expect(out).toMatch(/srun --mpi=pmix does not match the image's MPI, built for pmi2; use --mpi=pmi2/);
  });

  test('usage and input errors exit 2 with file:line:column', async () => {
    expect(await doctor(['--timeout', 'soon'])).toBe(2);
    expect(err).toContain("--timeout must be a number of seconds between 0 and 3600, not 'soon'");
    err = '';
    expect(await doctor(['--host', 'a.yaml', '--write-host', 'b.yaml'])).toBe(2);
    expect(err).toContain('cannot be combined with --host');
    err = '';
    expect(await doctor(['--image', path.join(dir, 'missing.def')])).toBe(2);
    expect(err).toMatch(/missing\.def:1:1: cannot read the image/);
    err = '';
    const bad = path.join(dir, 'bad-host.yaml');
    writeFileSync(bad, 'apiVersion: apptainer-gen/host/v1\nmpi:\n  dir: { value: 7, source: x }\n');
    expect(await doctor(['--host', bad])).toBe(2);
    expect(err).toBe(`${bad}:3:17: error: mpi.dir: must be a string\n`);
    err = '';
    expect(await doctor(['stray'])).toBe(2);
    expect(await doctor(['--format', 'xml'])).toBe(2);
  });

  test('a .sif is read through `apptainer inspect --json`; without Apptainer it is an input error', async () => {
    const host = await recordedHostFile('el9-slurm23-pmix-only-openmpi5-a100');
    const bin = path.join(dir, 'bin');
    const inspect = {
      data: { attributes: { labels: { 'org.apptainer-gen.mpi.model': 'pmi', 'org.apptainer-gen.mpi.impl': 'mpich', 'org.apptainer-gen.mpi.pmi': 'pmi2' } } },
    };
    writeFileSync(path.join(dir, 'inspect.json'), JSON.stringify(inspect));
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'apptainer'), `#!/bin/sh\n[ "$1 $2" = "inspect --json" ] && exec cat ${path.join(dir, 'inspect.json')}\nexit 9\n`, {
      mode: 0o755,
    });
    const savedPath = process.env.PATH;
    try {
      process.env.PATH = `${bin}:/usr/bin:/bin`;
      expect(await doctor(['--host', host, '--image', path.join(dir, 'app.sif')])).toBe(1);
      expect(out).toContain('this Slurm 23.11.4 offers pmix only');
      process.env.PATH = '/nonexistent';
      expect(await doctor(['--host', host, '--image', path.join(dir, 'app.sif')])).toBe(2);
      expect(err).toContain("app.sif:1:1: cannot inspect the image (apptainer not found on PATH); pass 'apptainer inspect --json");
    } finally {
      process.env.PATH = savedPath;
    }
  });

  test('--write-host records this machine and the file reads back', async () => {
    const file = path.join(dir, 'host.yaml');
    const code = await doctor(['--write-host', file, '--timeout', '60']);
    expect(code).toBe(0);
    const parsed = parseHostFile(readFileSync(file, 'utf8'), file);
    expect(parsed.ok).toBe(true);
    expect(out).toContain('No image given: what each model needs on this host');
  });
});
