// Recipe errors: located at the YAML line/column, saying what is wrong and what is allowed.
import { describe, expect, it } from 'vitest';
import { errorsOf, warningsOf } from './helpers.js';

const HEAD = 'apiVersion: apptainer-gen/v1\nname: t\nbase:\n  image: ubuntu:22.04\n';

describe('schema errors', () => {
  it('points at an unknown key and suggests the right one', () => {
    const [e, ...rest] = errorsOf(`${HEAD}mpi:\n  modle: pmi\n`);
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ file: 'r.yaml', line: 6, column: 3, severity: 'error', path: '/mpi/modle' });
    expect(e.message).toContain("unknown property 'modle'");
    expect(e.message).toContain("Did you mean 'model'?");
    expect(e.message).toContain('Allowed: model, impl');
  });

  it('lists the allowed values of an enum at the value', () => {
    const [e] = errorsOf(`${HEAD}mpi:\n  model: pmi\n  impl: openmpi\n  pmi:\n    interface: pmi3\n`);
    expect(e).toMatchObject({ line: 9, column: 16, path: '/mpi/pmi/interface' });
    expect(e.message).toBe('mpi.pmi.interface: "pmi3" is not allowed. Did you mean \'pmix\'? Allowed: "pmix", "pmi2", "pmi1", "cray_shasta", "none"');
  });

  it('reports wrong types and missing required properties', () => {
    const errors = errorsOf('name: 3\nmpi: [pmi]\n');
    expect(errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [1, 1, "the recipe: missing required property 'apiVersion'"],
      [1, 7, 'name: must be string, not a number (quote it: "3")'],
      [2, 6, 'mpi: must be object, not a list'],
    ]);
  });

  it('asks to quote versions that YAML reads as numbers', () => {
    const [e] = errorsOf(`${HEAD}mpi:\n  model: pmi\n  impl: intelmpi\n  version: 2021.10\n  pmi:\n    interface: pmi2\n`);
    expect(e.message).toBe('mpi.version: must be string, not a number (quote it: "2021.10")');
    expect([e.line, e.column]).toEqual([8, 12]);
  });

  it('uses the human message of a pattern', () => {
    const [e] = errorsOf(`${HEAD}name2: x\n`.replace('name: t', 'name: Bad Name').replace('name2: x\n', ''));
    expect(e.message).toBe("name: must be lowercase letters, digits, '.', '_' or '-', starting with a letter or digit (at most 63 characters)");
    expect([e.line, e.column]).toEqual([2, 7]);
  });

  it('reports YAML syntax errors with their position', () => {
    const [e] = errorsOf('apiVersion: apptainer-gen/v1\nname: [unclosed\n');
    expect(e.message).toMatch(/^YAML: /);
    expect(e.line).toBeGreaterThanOrEqual(2);
  });

  it('rejects duplicate keys, empty documents and non-mapping documents', () => {
    expect(errorsOf('apiVersion: apptainer-gen/v1\nname: a\nname: b\n')[0].message).toMatch(/YAML: .*unique/i);
    expect(errorsOf('')[0].message).toContain('empty');
    expect(errorsOf('- a\n- b\n')[0].message).toBe('the recipe: must be object, not a list');
  });

  it('points at a bad property name under env', () => {
    const [e] = errorsOf(`${HEAD}env:\n  BAD-NAME: x\n`);
    expect(e).toMatchObject({ line: 6, column: 3 });
    expect(e.message).toContain("invalid name 'BAD-NAME'");
  });
});

describe('rules (generator-guidance §3)', () => {
  it('rejects Open MPI 5 with pmi2', () => {
    const [e] = errorsOf(`${HEAD}mpi:\n  model: pmi\n  impl: openmpi\n  version: 5.0.5\n  pmi:\n    interface: pmi2\n`);
    expect(e).toMatchObject({ line: 10, column: 16, path: '/mpi/pmi/interface' });
    expect(e.message).toContain('supports only PMIx');
  });

  it('accepts Open MPI 4.1 with pmi2', () => {
    expect(warningsOf(`${HEAD}mpi:\n  model: pmi\n  impl: openmpi\n  version: 4.1.6\n  pmi:\n    interface: pmi2\n`)).toEqual([]);
  });

  it('rejects GPU driver packages', () => {
    const errors = errorsOf(`${HEAD}gpu:\n  vendor: nvidia\npackages:\n  apt: [cmake, nvidia-driver-535, cuda]\n`);
    expect(errors.map((e) => [e.line, e.column, e.path])).toEqual([
      [8, 16, '/packages/apt/1'],
      [8, 35, '/packages/apt/2'],
    ]);
    expect(errors[0].message).toContain('driver must come from the host');
  });

  it('rejects amdgpu-dkms and amdgpu-install without --no-dkms', () => {
    const errors = errorsOf(`${HEAD}gpu:\n  vendor: amd\napp:\n  build:\n    script: |\n      amdgpu-install -y --usecase=rocm\n`);
    expect(errors[0].message).toContain('--no-dkms');
    expect(errorsOf(`${HEAD}packages:\n  apt: [amdgpu-dkms]\n`)[0].path).toBe('/packages/apt/0');
  });

  it('rejects %files into /tmp and /var/tmp', () => {
    const [e] = errorsOf(`${HEAD}files:\n  - src: input.dat\n    dst: /tmp/input.dat\n`);
    expect(e).toMatchObject({ line: 7, column: 10, path: '/files/0/dst' });
    expect(e.message).toContain('/tmp');
    expect(errorsOf(`${HEAD}files:\n  - src: a\n    dst: /var/tmp\n`)[0].path).toBe('/files/0/dst');
  });

  it('warns (but still generates) for a multi-rank %test', () => {
    const [w] = warningsOf(`${HEAD}mpi:\n  model: pmi\n  impl: mpich\n  pmi:\n    interface: pmi2\ntest: |\n  mpirun -n 4 /opt/app/bin/x\n`);
    expect(w).toMatchObject({ severity: 'warning', line: 10, column: 7, path: '/test' });
    expect(w.message).toContain('single-process');
  });

  it('requires an MPI implementation and a PMI for the pmi model', () => {
    expect(errorsOf(`${HEAD}mpi:\n  model: pmi\n`)[0].message).toContain('mpi.impl is required');
    const [e] = errorsOf(`${HEAD}mpi:\n  model: pmi\n  impl: mpich\n  pmi:\n    interface: none\n`);
    expect(e.message).toContain('needs a PMI interface');
  });

  it('rejects Intel MPI with PMIx and MVAPICH2 without pmi2', () => {
    expect(errorsOf(`${HEAD}mpi:\n  model: pmi\n  impl: intelmpi\n  pmi:\n    interface: pmix\n`)[0].message).toContain('Intel MPI does not support PMIx');
    expect(errorsOf(`${HEAD}mpi:\n  model: pmi\n  impl: mvapich2\n  pmi:\n    interface: pmix\n`)[0].message).toContain('--with-pm=slurm --with-pmi=pmi2');
  });

  it('requires a multi-stage build for the bind model', () => {
    const [e] = errorsOf(`${HEAD}mpi:\n  model: bind\n  impl: mpich\n  bind:\n    hostPrefix: /opt/site/mpich\nstages:\n  multistage: false\n`);
    expect(e.path).toBe('/stages/multistage');
  });

  it('rejects undefined build arguments and stray {{', () => {
    const [e] = errorsOf(`${HEAD}env:\n  X: "{{ MISSING }}"\n`);
    expect(e).toMatchObject({ path: '/env/X', line: 6 });
    expect(e.message).toContain('{{ MISSING }} is not defined');
    expect(errorsOf(`${HEAD}env:\n  X: "a {{ b"\n`)[0].message).toContain("'{{' that is not a {{ NAME }} placeholder");
    expect(warningsOf(`${HEAD}arguments:\n  V: "1"\nenv:\n  X: "{{ V }}"\n`)).toEqual([]);
  });

  it('warns about a version that does not fit the implementation', () => {
    const [w] = warningsOf(`${HEAD}mpi:\n  model: pmi\n  impl: openmpi\n  version: '2021.13'\n  pmi:\n    interface: pmix\n`);
    expect(w.message).toBe('2021.13 is not a plausible Open MPI version (the default is 4.1.6)');
  });

  it('needs osVersion and mirrorUrl for debootstrap', () => {
    const [e] = errorsOf('apiVersion: apptainer-gen/v1\nname: t\nbase:\n  bootstrap: debootstrap\n');
    expect(e.message).toContain('osVersion');
    expect(e.line).toBe(4);
  });

  it('rejects CUDA-aware Open MPI without UCX and ROCm-aware Open MPI 4', () => {
    const gpuHead = 'apiVersion: apptainer-gen/v1\nname: t\nbase:\n  image: nvidia/cuda:12.4.1-devel-ubuntu22.04\n';
    expect(
      errorsOf(
        `${gpuHead}mpi:\n  model: pmi\n  impl: openmpi\n  pmi:\n    interface: pmix\n  fabric:\n    transports: [ofi]\ngpu:\n  vendor: nvidia\n  awareMpi: true\n`,
      )[0].message,
    ).toContain("add 'ucx'");
    const rocmHead = 'apiVersion: apptainer-gen/v1\nname: t\nbase:\n  image: rocm/dev-ubuntu-22.04:6.1.1\n';
    expect(
      errorsOf(`${rocmHead}mpi:\n  model: pmi\n  impl: openmpi\n  version: 4.1.6\n  pmi:\n    interface: pmix\ngpu:\n  vendor: amd\n  awareMpi: true\n`)[0]
        .message,
    ).toContain('Open MPI 5');
  });

  it('cannot guess the distribution of an unknown image', () => {
    const [e] = errorsOf('apiVersion: apptainer-gen/v1\nname: t\nbase:\n  image: example.org/custom:1\npackages:\n  apt: [vim]\n');
    expect(e.message).toContain('set base.distro');
    expect(e.path).toBe('/base/image');
  });
});
