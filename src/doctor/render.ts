// Text and JSON output of the doctor.
import { eachFact, type HostFacts, type Known } from '../host/facts.js';
import { mpiName } from './facts.js';
import type { DoctorResult } from './judge.js';
import type { ImageFacts } from './image.js';
import type { Status } from './verdict.js';

export const STATUS_WORDS: Record<Status, string> = { fits: 'fits', warning: 'fits, with a warning', unknown: 'unknown', 'does-not-fit': 'does not fit' };
const MARK: Record<Status, string> = { fits: 'ok  ', warning: 'warn', unknown: '??  ', 'does-not-fit': 'FAIL' };

const FACT_LABELS: Record<string, string> = {
  'slurm.version': 'Slurm',
  'slurm.mpi': 'srun --mpi plugins',
  'mpi.launcher': 'host MPI',
  'mpi.dir': 'MPI prefix',
  'mpi.library': 'MPI library',
  'gpu.nvidia': 'NVIDIA driver',
  'gpu.rocm': 'AMD ROCm',
  'fabric.infiniband': 'RDMA devices',
  'fabric.libfabric': 'libfabric',
  'fabric.ucx': 'UCX',
};

function showValue(name: string, value: unknown): string {
  const v = value as Record<string, unknown>;
  switch (name) {
    case 'slurm.mpi': {
      const versions = (v.pmixVersions as string[]).length ? ` (${(v.pmixVersions as string[]).join(', ')})` : '';
      return `${(v.plugins as string[]).join(', ')}${versions}`;
    }
    case 'mpi.launcher':
      return `${mpiName(String(v.family), v.version as string | undefined)}${v.path ? ` (${v.path})` : ''}`;
    case 'mpi.library':
      return `${v.soname}${v.abi ? ` (${v.abi} ABI)` : ''} at ${v.path}`;
    case 'gpu.nvidia':
      return `${v.version}${(v.gpus as string[]).length ? `, ${(v.gpus as string[]).length} GPU (${[...new Set(v.gpus as string[])].join(', ')})` : ''}`;
    case 'gpu.rocm':
      return [v.version && `ROCm ${v.version}`, v.driverVersion && `amdgpu ${v.driverVersion}`, v.kfd ? '/dev/kfd' : 'no /dev/kfd'].filter(Boolean).join(', ');
    case 'fabric.infiniband':
      return (value as string[]).length ? (value as string[]).join(', ') : 'none';
    case 'fabric.libfabric':
      return `${v.version ?? '(version unknown)'}${(v.providers as string[]).length ? `, providers ${(v.providers as string[]).join(', ')}` : ''}`;
    default:
      return String(value);
  }
}

export function renderHost(host: HostFacts): string[] {
  const facts = eachFact(host);
  const known = facts.filter(([, f]) => f.status === 'found').length;
  const lines = [`Host (${known} of ${facts.length} facts known)`];
  for (const [name, fact] of facts as [string, Known<unknown>][]) {
    const label = (FACT_LABELS[name] ?? name).padEnd(19);
    lines.push(fact.status === 'found' ? `  ${label}${showValue(name, fact.value)}  [${fact.source}]` : `  ${label}unknown: ${fact.reason}`);
  }
  return lines;
}

export function describeImage(image: ImageFacts): string {
  const parts: string[] = [];
  const mpi = image.mpi;
  if (mpi) {
    parts.push(`${mpi.model ?? 'unknown'} model`);
    parts.push(mpiName(mpi.impl, mpi.version ?? (mpi.impl ? '(distro)' : undefined)));
    parts.push(mpi.noPmi ? 'no PMI' : `PMI ${mpi.pmi.join('/') || 'unknown'}`);
    if (mpi.launcher) parts.push(`launcher ${mpi.launcher}`);
  } else parts.push('no MPI');
  if (image.gpu) parts.push(image.gpu.vendor === 'nvidia' ? `CUDA ${image.gpu.cuda ?? '(version unknown)'}` : `ROCm ${image.gpu.rocm ?? '(version unknown)'}`);
  return `Image ${image.file}: ${parts.join(', ')}  [${image.evidence}]`;
}

export function renderText(result: DoctorResult, opts: { showHost: boolean }): string {
  const lines: string[] = [];
  if (opts.showHost) lines.push(...renderHost(result.host), '');
  if (result.image) lines.push(describeImage(result.image), '');
  else lines.push('No image given: what each model needs on this host', '');
  for (const v of result.verdicts) {
    lines.push(`${v.subject}: ${STATUS_WORDS[v.status]}`);
    for (const c of v.checks) {
      lines.push(`  ${MARK[c.status]} ${c.reason}`);
      if (c.fix && c.status !== 'fits') lines.push(`       fix: ${c.fix}`);
    }
  }
  if (result.image || result.verdicts.some((v) => v.subject.startsWith('job script'))) {
    lines.push(
      '',
      `Verdict: ${result.overall === 'does-not-fit' ? 'does not fit' : result.overall === 'unknown' ? 'could not decide (some facts are unknown)' : STATUS_WORDS[result.overall]}`,
    );
  }
  return lines.join('\n') + '\n';
}

export function renderJson(result: DoctorResult): string {
  const { image } = result;
  const imageOut = image
    ? { file: image.file, basis: image.basis, evidence: image.evidence, mpi: image.mpi, gpu: image.gpu, mpiDirDefault: image.mpiDirDefault }
    : undefined;
  return JSON.stringify({ overall: result.overall, verdicts: result.verdicts, image: imageOut, host: result.host }, null, 2) + '\n';
}
