// A recipe's `host: host.yaml` (written by `apptainer-gen doctor --write-host`): unset host-facing
// MPI fields come from the probe, and recipe values the probed host cannot serve are errors.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { generate } from '../../src/generate/index.js';
import { probeHost } from '../../src/doctor/probe.js';
import { hostToYaml } from '../../src/host/file.js';
import { loadRecordedHost, replayHost } from '../doctor/replay.js';
import { RECIPES } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'gen-host-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function hostFile(name: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, hostToYaml(await probeHost(replayHost(loadRecordedHost(name)), 5_000)));
  return `${name}.yaml`;
}

/** A fixture recipe with `host:` added and `edit` applied, generated as if it lived in `dir`. */
function generateWith(recipe: string, host: string, edit: (text: string) => string = (t) => t) {
  const text = edit(readFileSync(join(RECIPES, `${recipe}.yaml`), 'utf8')).replace(/^name: .*$/m, (m) => `${m}\nhost: ${host}`);
  return { text, result: generate(text, { filename: join(dir, `${recipe}.yaml`) }) };
}

describe('recipe host: field', () => {
  test('pmi model without an interface takes pmi2 from the Debian Slurm, giving the same def as the explicit recipe', async () => {
    const host = await hostFile('bookworm-slurm22-openmpi4');
    const { result } = generateWith('debian-mpich-pmi2', host, (t) => t.replace('  pmi:\n    interface: pmi2\n', ''));
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.def).toBe(readFileSync(join(RECIPES, 'debian-mpich-pmi2.def'), 'utf8'));
    expect(result.warnings).toEqual([]);
  });

  test('an explicit interface the probed Slurm lacks is an error at that field', async () => {
    const host = await hostFile('el9-slurm23-pmix-only-openmpi5-a100');
    const { text, result } = generateWith('debian-mpich-pmi2', host);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const line = text.split('\n').findIndex((l) => l.includes('interface: pmi2')) + 1;
    expect(result.errors).toMatchObject([
      {
        line,
        column: 16,
        path: '/mpi/pmi/interface',
        message: expect.stringMatching(
          /^mpi\.pmi\.interface pmi2 is not among the Slurm plugins in el9-slurm23-pmix-only-openmpi5-a100\.yaml \(none, cray_shasta, pmix\)/,
        ),
      },
    ]);
  });

  test('hybrid without impl/version takes the host Open MPI 5.0.3 and builds it', async () => {
    const host = await hostFile('el9-slurm23-pmix-only-openmpi5-a100');
    const { result } = generateWith('openmpi4-hybrid', host, (t) => t.replace('  impl: openmpi\n  version: 4.1.5\n', ''));
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.def).toContain('org.apptainer-gen.mpi.version 5.0.3');
    expect(result.def).toContain(`/v5.0/openmpi-5.0.3.tar.bz2`);
  });

  test('hybrid with a different major version than the host: a warning at mpi.version, output still written', async () => {
    const host = await hostFile('el9-slurm23-pmix-only-openmpi5-a100');
    const { result } = generateWith('openmpi4-hybrid', host);
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => [w.path, w.message])).toContainEqual([
      '/mpi/version',
      expect.stringMatching(/^mpi\.version 4\.1\.5 differs from the host's Open MPI 5\.0\.3/),
    ]);
  });

  test('hybrid MPICH recipe on an Open MPI host: error at mpi.impl', async () => {
    const host = await hostFile('bookworm-slurm22-openmpi4');
    const { result } = generateWith('rocky-mpich-ucx-hybrid', host);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors[0]).toMatchObject({
        path: '/mpi/impl',
        message: expect.stringContaining("mpi.impl 'mpich' does not match the host MPI in bookworm-slurm22-openmpi4.yaml (Open MPI 4.1.4)"),
      });
  });

  test('bind model without hostPrefix takes the Cray MPICH prefix', async () => {
    const host = await hostFile('cray-ex-slurm23-rocm6');
    const { result } = generateWith('cray-mpich-bind', host, (t) => t.replace(/^    hostPrefix: .*\n/m, ''));
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (result.ok) expect(result.def).toContain('MPI_DIR="${MPI_DIR:-/opt/cray/pe/mpich/8.1.27/ofi/gnu/9.1}"');
  });

  test('a missing or malformed host file is an error at the host key, with how to write it', async () => {
    const missing = generateWith('debian-mpich-pmi2', 'nope.yaml').result;
    expect(missing.ok).toBe(false);
    if (!missing.ok)
      expect(missing.errors[0]).toMatchObject({
        line: 5,
        column: 7,
        message: "host: cannot read nope.yaml: no such file (write it with 'apptainer-gen doctor --write-host nope.yaml')",
      });
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: apptainer-gen/host/v1\nslurm:\n  mpi: { value: { plugins: pmix, pmixVersions: [] }, source: x }\n');
    const bad = generateWith('debian-mpich-pmi2', 'bad.yaml').result;
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0].message).toBe("host: bad.yaml:3:17: slurm.mpi: 'plugins' must be a list of strings");
  });
});
