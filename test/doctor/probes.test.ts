// Host probes against recorded outputs of several Slurm, Open MPI, MPICH, MVAPICH2 and driver
// versions (test/doctor/fixtures/hosts/). Each fixture is replayed through the real probe code.
import { describe, expect, test } from 'vitest';
import { probeHost } from '../../src/doctor/probe.js';
import { parseMpiList, parseSlurmVersion } from '../../src/doctor/probes/slurm.js';
import { parseLdconfig, parseMpirunVersion } from '../../src/doctor/probes/mpi.js';
import { parseNvidiaSmiQuery, parseProcNvidiaVersion } from '../../src/doctor/probes/gpu.js';
import { parseFiProviders } from '../../src/doctor/probes/fabric.js';
import { eachFact } from '../../src/host/facts.js';
import { loadRecordedHost, replayHost } from './replay.js';

const probe = (name: string, calls?: string[]) => probeHost(replayHost(loadRecordedHost(name), calls), 5_000);

describe('recorded hosts', () => {
  test('Debian 12 e2e node: Slurm 22.05 (pmix + pmi2), Open MPI 4.1.4 from ldconfig, nothing else', async () => {
    const host = await probe('bookworm-slurm22-openmpi4');
    expect(host.slurm.version).toEqual({ status: 'found', value: '22.05.8', source: 'srun --version' });
    expect(host.slurm.mpi).toMatchObject({ status: 'found', value: { plugins: ['pmix', 'none', 'cray_shasta', 'pmi2'], pmixVersions: ['pmix_v4'] } });
    expect(host.mpi.launcher).toMatchObject({ status: 'found', value: { family: 'openmpi', version: '4.1.4', path: '/usr/bin/mpirun' } });
    expect(host.mpi.dir).toMatchObject({ status: 'found', value: '/usr', source: 'prefix of /usr/bin/mpirun' });
    // The Fortran/C++ binding libraries and MPICH's library in the cache are not the MPI library.
    expect(host.mpi.library).toMatchObject({
      status: 'found',
      value: { soname: 'libmpi.so.40', abi: 'openmpi', path: '/lib/x86_64-linux-gnu/libmpi.so.40' },
      source: 'ldconfig -p',
    });
    expect(host.gpu.nvidia.status).toBe('unknown');
    expect(host.gpu.rocm.status).toBe('unknown');
    expect(host.fabric.infiniband).toMatchObject({ status: 'found', value: [] });
    expect(host.fabric.ucx).toEqual({ status: 'unknown', reason: 'ucx_info not found on PATH' });
  });

  test('Rocky 9 GPU node: PMIx-only Slurm 23.11, Open MPI 5 module via MPI_DIR, A100s, InfiniBand, UCX, libfabric', async () => {
    const host = await probe('el9-slurm23-pmix-only-openmpi5-a100');
    expect(host.slurm.version).toMatchObject({ value: '23.11.4' });
    expect(host.slurm.mpi).toMatchObject({ value: { plugins: ['none', 'cray_shasta', 'pmix'], pmixVersions: ['pmix_v5'] } });
    expect(host.mpi.launcher).toMatchObject({ value: { family: 'openmpi', version: '5.0.3', path: '/opt/openmpi/5.0.3/bin/mpirun' } });
    expect(host.mpi.dir).toMatchObject({ value: '/opt/openmpi/5.0.3', source: '$MPI_DIR' });
    expect(host.mpi.library).toMatchObject({ value: { soname: 'libmpi.so.40', abi: 'openmpi', path: '/opt/openmpi/5.0.3/lib/libmpi.so.40' } });
    expect(host.gpu.nvidia).toMatchObject({ status: 'found', value: { version: '550.54.15', gpus: Array(4).fill('NVIDIA A100-SXM4-80GB') } });
    expect(host.fabric.infiniband).toMatchObject({ value: ['mlx5_0', 'mlx5_1'] });
    expect(host.fabric.ucx).toMatchObject({ value: '1.16.0' });
    expect(host.fabric.libfabric).toMatchObject({ value: { version: '1.18.0', providers: ['verbs', 'tcp', 'shm'] } });
  });

  test('CentOS 7: Slurm 20.11 list on stderr, MPICH 4.1.2 via Hydra + mpichversion, nvidia-smi hangs so /proc gives the driver', async () => {
    const host = await probe('el7-slurm20-pmi2-mpich-k80');
    expect(host.slurm.mpi).toMatchObject({ value: { plugins: ['none', 'pmi2'], pmixVersions: [] } });
    expect(host.mpi.launcher).toMatchObject({ value: { family: 'mpich', version: '4.1.2', tool: 'mpirun --version, mpichversion' } });
    expect(host.mpi.dir).toMatchObject({ value: '/opt/mpich/4.1.2', source: '$MPICH_DIR' });
    expect(host.mpi.library).toMatchObject({ value: { soname: 'libmpi.so.12', abi: 'mpich' } });
    expect(host.gpu.nvidia).toMatchObject({ status: 'found', value: { version: '470.82.01', gpus: [] }, source: '/proc/driver/nvidia/version' });
  });

  test('Cray EX: no mpirun, cray-mpich from CRAY_MPICH_DIR with the per-compiler library, ROCm 6.0.2 under ROCM_PATH', async () => {
    const host = await probe('cray-ex-slurm23-rocm6');
    expect(host.mpi.launcher).toMatchObject({ status: 'found', value: { family: 'cray-mpich', version: '8.1.27' } });
    expect(host.mpi.library).toMatchObject({ value: { soname: 'libmpi_gnu_91.so.12', abi: 'mpich' } });
    expect(host.gpu.rocm).toMatchObject({ status: 'found', value: { version: '6.0.2', driverVersion: '6.3.6', kfd: true } });
    expect(host.fabric.libfabric).toMatchObject({ value: { providers: ['cxi', 'shm'] } });
    expect(host.fabric.infiniband).toMatchObject({ value: [] });
  });

  test('MVAPICH2 behind Hydra is recognised by mpiname; a hanging srun and a failing srun are unknown with the reason', async () => {
    const host = await probe('mvapich2-slurm-broken');
    expect(host.mpi.launcher).toMatchObject({ value: { family: 'mvapich2', version: '2.3.7' } });
    expect(host.slurm.version).toEqual({ status: 'unknown', reason: 'srun --version gave no answer within 5 s' });
    expect(host.slurm.mpi).toEqual({
      status: 'unknown',
      reason: 'srun --mpi=list exited with status 1: srun: fatal: Could not establish a configuration source',
    });
  });

  test('a bare login node: every fact is unknown, none is an error', async () => {
    const calls: string[] = [];
    const host = await probe('login-node-bare', calls);
    for (const [, fact] of eachFact(host)) expect(fact.status).toBe('unknown');
    expect(host.slurm.mpi).toEqual({ status: 'unknown', reason: 'srun not found on PATH' });
    expect(host.mpi.launcher.status === 'unknown' && host.mpi.launcher.reason).toMatch(/mpirun not found on PATH.*load the site's MPI module/);
    // Every probe the doctor documents was attempted.
    for (const cmd of [
      'srun --mpi=list',
      'srun --version',
      'mpirun --version',
      'ompi_info --parsable',
      'mpichversion',
      'rocm-smi --showdriverversion',
      'fi_info --version',
      'ucx_info -v',
    ]) {
      expect(calls).toContain(cmd);
    }
  });
});

describe('output parsers', () => {
  test('Slurm versions in both spellings', () => {
    expect(parseSlurmVersion('slurm 23.11.4\n')).toBe('23.11.4');
    expect(parseSlurmVersion('slurm-wlm 22.05.8\n')).toBe('22.05.8');
    expect(parseSlurmVersion('srun: fatal: ...')).toBeUndefined();
  });

  test('srun --mpi=list: a pmix_vN line counts as a PMIx version; text without the header is not a list', () => {
    expect(parseMpiList('srun: MPI types are...\nsrun: none\nsrun: pmix_v3\nsrun: pmix\nsrun: pmi2\n')).toEqual({
      plugins: ['none', 'pmix_v3', 'pmix', 'pmi2'],
      pmixVersions: ['pmix_v3'],
    });
    expect(parseMpiList('srun: fatal: Could not establish a configuration source\n')).toBeUndefined();
  });

  test('mpirun --version of Intel MPI and Open MPI', () => {
    expect(
      parseMpirunVersion('Intel(R) MPI Library for Linux* OS, Version 2021.13 Build 20240701 (id: 8f9b6f6)\nCopyright 2003-2024, Intel Corporation.\n'),
    ).toEqual({ family: 'intelmpi', version: '2021.13' });
    expect(parseMpirunVersion('mpirun (Open MPI) 4.1.6\n')).toEqual({ family: 'openmpi', version: '4.1.6' });
    expect(parseMpirunVersion('usage: mpirun ...')).toBeUndefined();
  });

  test('ldconfig -p keeps only MPI libraries, libmpi.so first', () => {
    const text =
      '\tlibmpich.so.12 (libc6,x86-64) => /lib/libmpich.so.12\n\tlibmpi_cxx.so.40 (libc6,x86-64) => /lib/libmpi_cxx.so.40\n\tlibmpi.so.12 (libc6,x86-64) => /lib/libmpi.so.12\n';
    expect(parseLdconfig(text).map((l) => l.soname)).toEqual(['libmpi.so.12', 'libmpich.so.12']);
  });

  test('nvidia-smi CSV and /proc driver version', () => {
    expect(parseNvidiaSmiQuery('535.104.05, Tesla V100-SXM2-32GB\n535.104.05, Tesla V100-SXM2-32GB\n')).toEqual({
      version: '535.104.05',
      gpus: ['Tesla V100-SXM2-32GB', 'Tesla V100-SXM2-32GB'],
    });
    expect(parseNvidiaSmiQuery('No devices were found\n')).toBeUndefined();
    expect(parseProcNvidiaVersion('NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  560.35.03  Release Build\n')).toBe('560.35.03');
  });

  test('fi_info -l provider names', () => {
    expect(parseFiProviders('psm3:\n    version: 1102.0\nverbs;ofi_rxm:\n    version: 118.0\n')).toEqual(['psm3', 'verbs;ofi_rxm']);
  });
});
