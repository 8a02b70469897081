// Verdicts: generated images (fixtures/recipes/*.def) judged against recorded hosts. Each case
// names the reason and the fix the user must see.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { probeHost } from '../../src/doctor/probe.js';
import { imageFromDef, imageFromInspect } from '../../src/doctor/image.js';
import { judge, type DoctorResult } from '../../src/doctor/judge.js';
import { cudaDriverNeed, newestCudaFor } from '../../src/doctor/facts.js';
import { loadRecordedHost, replayHost } from './replay.js';

const RECIPES = path.join(path.dirname(new URL(import.meta.url).pathname), '../../fixtures/recipes');

async function doctor(recipe: string, hostName: string, opts: { exists?: string[]; job?: { text: string; file: string } } = {}): Promise<DoctorResult> {
  const host = await probeHost(replayHost(loadRecordedHost(hostName)), 5_000);
  const file = path.join(RECIPES, `${recipe}.def`);
  const image = await imageFromDef(readFileSync(file, 'utf8'), `${recipe}.def`);
  return judge(host, image, opts.job, { pathExists: (p) => (opts.exists ?? []).includes(p) });
}

function check(result: DoctorResult, id: string) {
  const found = result.verdicts.flatMap((v) => v.checks).find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${JSON.stringify(result.verdicts, null, 1)}`);
  return found;
}

describe('pmi model', () => {
  test('MPICH with PMI-2 on a PMIx-only Slurm does not fit: the reason names both sides, the fix the recipe field', async () => {
    const result = await doctor('debian-mpich-pmi2', 'el9-slurm23-pmix-only-openmpi5-a100');
    expect(result.overall).toBe('does-not-fit');
    const c = check(result, 'slurm-pmi');
    expect(c.status).toBe('does-not-fit');
    expect(c.reason).toMatch(/^image has MPICH \(distro\) with PMI pmi2; this Slurm 23\.11\.4 offers pmix only/);
    expect(c.reason).toContain('rank 0 of 1');
    expect(c.fix).toMatch(/regenerate with `mpi\.pmi\.interface: pmix`/);
  });

  test('the same image fits the Debian node, whose Slurm offers pmi2', async () => {
    const result = await doctor('debian-mpich-pmi2', 'bookworm-slurm22-openmpi4');
    expect(result.overall).toBe('fits');
    expect(check(result, 'slurm-pmi').reason).toMatch(/offers srun --mpi=pmi2 \(srun --mpi=list\)/);
  });

  test('Open MPI 5 on a pmi2-only Slurm: the fix says PMIx only, not "switch to pmi2"', async () => {
    const result = await doctor('openmpi5-pmix', 'el7-slurm20-pmi2-mpich-k80');
    const c = check(result, 'slurm-pmi');
    expect(c.status).toBe('does-not-fit');
    expect(c.reason).toMatch(/Open MPI 5\.0\.\d+ with PMI pmix; this Slurm 20\.11\.9 offers pmi2 only/);
    expect(c.fix).toMatch(/Open MPI 5 speaks PMIx only/);
  });

  test('PMIx image on a Slurm listing pmix_vN: fits and names the plugin version', async () => {
    const result = await doctor('debian-openmpi-pmi', 'cray-ex-slurm23-rocm6');
    expect(check(result, 'slurm-pmi')).toMatchObject({ status: 'fits' });
    expect(check(result, 'slurm-pmi').reason).toContain('srun --mpi=pmix (pmix_v4)');
  });

  test('srun unreachable: unknown, with the reason and where to run instead; exit would be 0 but not "fits"', async () => {
    const result = await doctor('debian-openmpi-pmi', 'mvapich2-slurm-broken');
    expect(result.overall).toBe('unknown');
    expect(check(result, 'slurm-pmi').reason).toMatch(/Could not establish a configuration source/);
  });
});

describe('hybrid model', () => {
  test('Open MPI image under the host Open MPI of the same family but unrecorded version: fits, with a warning', async () => {
    const result = await doctor('debian-openmpi-hybrid', 'bookworm-slurm22-openmpi4');
    expect(result.overall).toBe('warning');
    expect(check(result, 'host-mpi').reason).toMatch(/same MPI family \(Open MPI\).*distro packages.*Open MPI 4\.1\.4/);
  });

  test('Open MPI 4 image and Open MPI 5 host: different runtime generations do not fit', async () => {
    const result = await doctor('openmpi4-hybrid', 'el9-slurm23-pmix-only-openmpi5-a100');
    const c = check(result, 'host-mpi');
    expect(c.status).toBe('does-not-fit');
    expect(c.reason).toMatch(/image has Open MPI 4\.1\.\d+; host mpirun is Open MPI 5\.0\.3.*PRRTE/);
    expect(c.fix).toContain('`mpi.version: 5.0.3`');
  });

  test('MPICH image and an Open MPI launcher: wrong family', async () => {
    const result = await doctor('rocky-mpich-ucx-hybrid', 'bookworm-slurm22-openmpi4');
    const c = check(result, 'host-mpi');
    expect(c.status).toBe('does-not-fit');
    expect(c.reason).toMatch(/image has MPICH [\d.]+; the host's mpirun is Open MPI 4\.1\.4/);
    expect(c.fix).toContain('`mpi.impl: openmpi`');
  });

  test('no MPI on the login node: unknown, with what to do', async () => {
    const result = await doctor('openmpi4-hybrid', 'login-node-bare');
    expect(check(result, 'host-mpi')).toMatchObject({ status: 'unknown', fix: expect.stringMatching(/load the MPI module/) });
  });
});

describe('bind model', () => {
  test('Open MPI ABI image, host Open MPI, default MPI_DIR present on the host: fits', async () => {
    const result = await doctor('debian-bind', 'bookworm-slurm22-openmpi4', { exists: ['/usr/lib/x86_64-linux-gnu/openmpi'] });
    expect(result.overall).toBe('fits');
    expect(check(result, 'mpi-abi').reason).toContain('libmpi.so.40');
  });

  test('the default MPI_DIR missing on the host: does not fit, fix exports the probed prefix', async () => {
    const result = await doctor('debian-bind', 'el7-slurm20-pmi2-mpich-k80');
    expect(check(result, 'mpi-abi')).toMatchObject({ status: 'does-not-fit' });
    expect(check(result, 'mpi-abi').reason).toMatch(
      /Open MPI ABI \(libmpi\.so\.40\); the host MPI is libmpi\.so\.12 at \/opt\/mpich\/4\.1\.2\/lib\/libmpi\.so\.12/,
    );
    const dir = check(result, 'mpi-dir');
    expect(dir.status).toBe('does-not-fit');
    expect(dir.fix).toContain('export MPI_DIR=/opt/mpich/4.1.2');
  });

  test('MPICH-ABI image on Cray MPICH: ABI fits, MPI_DIR is the module prefix, srun --mpi=pmi2 is offered', async () => {
    const result = await doctor('cray-mpich-bind', 'cray-ex-slurm23-rocm6');
    expect(check(result, 'mpi-abi')).toMatchObject({ status: 'fits' });
    expect(check(result, 'slurm-pmi')).toMatchObject({ status: 'fits' });
    // CRAY_MPICH_DIR is not MPI_DIR: the job script's default prefix must exist here.
    expect(check(result, 'mpi-dir').status).toBe('does-not-fit');
    expect(check(result, 'mpi-dir').fix).toContain('export MPI_DIR=/opt/cray/pe/mpich/8.1.27/ofi/gnu/9.1');
  });
});

describe('GPU driver', () => {
  test('CUDA 12.4.1 on driver 550.54.15: fits (NVIDIA table row 12.4.1 needs 550.54.15)', async () => {
    const result = await doctor('cuda-openmpi-aware', 'el9-slurm23-pmix-only-openmpi5-a100');
    const c = check(result, 'nvidia-driver');
    expect(c.status).toBe('fits');
    expect(c.reason).toContain('CUDA 12.4.1 needs driver >= 550.54.15');
  });

  test('CUDA 12.4.1 on driver 470.82.01: does not fit, fix names the driver and the newest usable CUDA', async () => {
    const result = await doctor('cuda-openmpi-aware', 'el7-slurm20-pmi2-mpich-k80');
    const c = check(result, 'nvidia-driver');
    expect(c.status).toBe('does-not-fit');
    expect(c.reason).toMatch(/driver 470\.82\.01 is too old.*minor version compatibility needs >= 525\.60\.13/);
    expect(c.fix).toBe('upgrade the host driver to >= 550.54.15, or regenerate with `gpu.cuda.version` <= 11.4.4');
  });

  test('CUDA 12.6 image on a 12.4 driver: minor version compatibility, a warning', async () => {
    const host = await probeHost(replayHost(loadRecordedHost('el9-slurm23-pmix-only-openmpi5-a100')), 5_000);
    const image = await imageFromDef('Bootstrap: docker\nFrom: nvidia/cuda:12.6.3-runtime-ubuntu22.04\n', 'cuda.def');
    const result = await judge(host, image, undefined);
    expect(check(result, 'nvidia-driver')).toMatchObject({ status: 'warning' });
    expect(check(result, 'nvidia-driver').reason).toMatch(/older than 560\.35\.05 .*minor version compatibility \(>= 525\.60\.13\)/);
  });

  test('ROCm image on a node with /dev/kfd and the same ROCm major: fits; without a GPU: unknown', async () => {
    expect(check(await doctor('rocm-openmpi5', 'cray-ex-slurm23-rocm6'), 'rocm')).toMatchObject({ status: 'fits' });
    expect(check(await doctor('rocm-openmpi5', 'bookworm-slurm22-openmpi4'), 'rocm')).toMatchObject({ status: 'unknown' });
  });

  test('the driver table: update releases, unknown releases, newest CUDA per driver', () => {
    expect(cudaDriverNeed('12.4')).toMatchObject({ full: '550.54.14', row: '12.4.0', minorCompat: '525.60.13' });
    expect(cudaDriverNeed('12.2.2')).toMatchObject({ full: '535.104.05' });
    expect(cudaDriverNeed('12.7.0')).toBeUndefined(); // there was no CUDA 12.7
    expect(newestCudaFor('535.104.05')).toBe('12.2.2');
    expect(newestCudaFor('400.0')).toBeUndefined();
  });
});

describe('job script against image and host', () => {
  test('the e2e PMI mismatch (MPICH image, srun --mpi=pmix) does not fit, although the host offers pmix', async () => {
    const good = readFileSync(path.join(RECIPES, 'debian-mpich-pmi2.job.sh'), 'utf8');
    const bad = { text: good.replaceAll('--mpi=pmi2', '--mpi=pmix'), file: 'bad.job.sh' };
    const result = await doctor('debian-mpich-pmi2', 'bookworm-slurm22-openmpi4', { job: bad });
    expect(result.overall).toBe('does-not-fit');
    const job = result.verdicts.find((v) => v.subject === 'job script bad.job.sh')!;
    expect(job.status).toBe('does-not-fit');
    expect(job.checks.find((c) => c.status === 'does-not-fit')!.reason).toMatch(
      /^bad\.job\.sh:\d+:\d+: srun --mpi=pmix does not match the image's MPI, built for pmi2; use --mpi=pmi2/,
    );
    const clean = await doctor('debian-mpich-pmi2', 'bookworm-slurm22-openmpi4', { job: { text: good, file: 'job.sh' } });
    expect(clean.overall).toBe('fits');
  });

  test('srun --mpi=X that this Slurm lacks does not fit', async () => {
    const text = '#!/bin/bash\nsrun --mpi=pmi2 apptainer exec app.sif /opt/app/bin/app\n';
    const result = await doctor('debian-mpich-pmi2', 'el9-slurm23-pmix-only-openmpi5-a100', { job: { text, file: 'j.sh' } });
    const c = result.verdicts.find((v) => v.subject === 'job script j.sh')!.checks.find((x) => x.id === 'job-srun-plugin')!;
    expect(c).toMatchObject({ status: 'does-not-fit' });
    expect(c.reason).toBe('j.sh:2: srun --mpi=pmi2, but this Slurm has no such plugin (offers none, cray_shasta, pmix; srun --mpi=list)');
  });
});

test('a PMI-1 image: fits a Slurm with pmi2, but the `srun --mpi=pmi1` the generator writes is no Slurm plugin', async () => {
  const host = await probeHost(replayHost(loadRecordedHost('bookworm-slurm22-openmpi4')), 5_000);
  const def =
    'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%labels\n    org.apptainer-gen.mpi.model pmi\n    org.apptainer-gen.mpi.impl mpich\n    org.apptainer-gen.mpi.version 4.1.2\n    org.apptainer-gen.mpi.pmi pmi1\n    org.apptainer-gen.mpi.launcher srun\n';
  const image = await imageFromDef(def, 'pmi1.def');
  const job = { text: '#!/bin/bash\nsrun --mpi=pmi1 apptainer run "$IMAGE" "$@"\n', file: 'pmi1.sh' };
  const result = await judge(host, image, job);
  expect(check(result, 'slurm-pmi')).toMatchObject({ status: 'fits' });
  expect(check(result, 'job-srun-plugin')).toMatchObject({ status: 'does-not-fit', fix: 'use --mpi=pmi2 (its server also speaks PMI-1)' });
});

describe('image facts', () => {
  test('apptainer inspect --json: labels from the SIF, MPI_DIR default from its environment', async () => {
    const inspect = JSON.stringify({
      data: {
        attributes: {
          labels: {
            'org.apptainer-gen.mpi.model': 'bind',
            'org.apptainer-gen.mpi.abi': 'mpich',
            'org.apptainer-gen.mpi.impl': 'mpich',
            'org.apptainer-gen.mpi.pmi': 'pmi2',
            'org.apptainer-gen.mpi.launcher': 'srun',
            'org.apptainer-gen.gpu.vendor': 'none',
          },
          environment: '#!/bin/sh\nexport MPI_DIR="${MPI_DIR:-/opt/cray/pe/mpich/8.1.27/ofi/gnu/9.1}"\n',
        },
      },
      type: 'container',
    });
    const image = await imageFromInspect(inspect, 'app.sif-inspect.json');
    expect(image).toMatchObject({
      basis: 'labels',
      mpi: { model: 'bind', abi: 'mpich', pmi: ['pmi2'], launcher: 'srun' },
      mpiDirDefault: '/opt/cray/pe/mpich/8.1.27/ofi/gnu/9.1',
    });
    expect(image.gpu).toBeUndefined();
  });

  test('a def without labels: MPI inferred from %post (configure flags), CUDA from the base image tag', async () => {
    const def =
      'Bootstrap: docker\nFrom: nvidia/cuda:11.8.0-devel-ubuntu22.04\n\n%post\n    cd /tmp/mpich-4.1.2 && ./configure --prefix=/opt/mpich --with-pmi=pmi2 --with-pmilib=slurm && make install\n';
    const image = await imageFromDef(def, 'plain.def');
    expect(image).toMatchObject({ basis: 'inferred', mpi: { impl: 'mpich', pmi: ['pmi2'] }, gpu: { vendor: 'nvidia', cuda: '11.8.0' } });
    const host = await probeHost(replayHost(loadRecordedHost('el9-slurm23-pmix-only-openmpi5-a100')), 5_000);
    const result = await judge(host, image, undefined);
    expect(check(result, 'slurm-pmi').status).toBe('does-not-fit');
    expect(check(result, 'nvidia-driver').status).toBe('fits');
  });

  test('bad inspect JSON is an input error with the file name', async () => {
    await expect(imageFromInspect('{"data": [1]', 'x.json')).rejects.toThrow(/^x\.json:1:1: not JSON/);
  });
});
