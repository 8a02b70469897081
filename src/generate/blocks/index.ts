// Chooses the building blocks a plan needs and orders them by their declared prerequisites.
import type { Plan } from '../plan.js';
import type { Block, BlockId } from './block.js';
import { toolchain } from './toolchain.js';
import { psm2, rdmaCore } from './rdma-core.js';
import { ucx } from './ucx.js';
import { libfabric } from './libfabric.js';
import { pmix } from './pmix.js';
import { slurmPmi2 } from './slurm-pmi2.js';
import { openmpi } from './openmpi.js';
import { mpich, mpichBefore41 } from './mpich.js';
import { mvapich2 } from './mvapich2.js';
import { intelmpi } from './intelmpi.js';
import { distroMpi } from './distro-mpi.js';
import { hpcx } from './hpcx.js';
import { cuda } from './cuda.js';
import { rocm } from './rocm.js';
import { gdrcopy } from './gdrcopy.js';
import { python } from './python.js';
import { appBlock } from './app.js';

export type { Block, BlockId } from './block.js';

/** Tie-break order for blocks with no dependency between them, so output is deterministic. */
const CANONICAL: BlockId[] = [
  'toolchain',
  'rdma-core',
  'psm2',
  'cuda',
  'rocm',
  'gdrcopy',
  'ucx',
  'libfabric',
  'pmix',
  'slurm-pmi2',
  'distro-mpi',
  'openmpi',
  'mpich',
  'mvapich2',
  'intelmpi',
  'hpcx',
  'python',
  'app',
];

/** Orders blocks so each comes after the blocks it lists in `after` (Kahn's algorithm). */
export function orderBlocks(blocks: Block[]): Block[] {
  const present = new Map(blocks.map((b) => [b.id, b]));
  const rank = (b: Block) => CANONICAL.indexOf(b.id);
  const pending = new Map<BlockId, Set<BlockId>>();
  for (const b of blocks) pending.set(b.id, new Set(b.after.filter((d) => present.has(d) && d !== b.id)));
  const out: Block[] = [];
  while (pending.size) {
    const ready = [...pending.entries()].filter(([, deps]) => deps.size === 0).map(([id]) => present.get(id)!);
    if (ready.length === 0) throw new Error(`building-block dependency cycle among: ${[...pending.keys()].join(', ')}`);
    ready.sort((a, b) => rank(a) - rank(b));
    const next = ready[0];
    out.push(next);
    pending.delete(next.id);
    for (const deps of pending.values()) deps.delete(next.id);
  }
  return out;
}

export function selectBlocks(plan: Plan): Block[] {
  const blocks: Block[] = [];
  const model = plan.model;
  const impl = plan.impl;
  const sourceMpi = model !== 'none' && impl !== undefined && plan.mpiSource === 'tarball';
  if (model !== 'none' && impl && plan.mpiSource === 'hpcx') {
    // HPC-X brings its own UCX, UCC, HCOLL and PMIx: only the distribution's verbs libraries are added.
    blocks.push(rdmaCore(plan), hpcx(plan));
  } else if (model !== 'none' && impl) {
    const t = plan.transports;
    if (t.includes('verbs') || t.includes('ucx') || t.includes('ofi') || impl === 'mvapich2') blocks.push(rdmaCore(plan));
    if (t.includes('psm2')) blocks.push(psm2(plan));
    if (t.includes('ucx')) blocks.push(ucx(plan));
    if (t.includes('ofi') && impl !== 'intelmpi') blocks.push(libfabric(plan));
    const distro = plan.mpiSource === 'distro';
    // The PMI the in-image MPI is built against (none for a bind model's compile-only MPI).
    const pmi = plan.mpiPmi;
    if (!distro && pmi === 'pmix' && plan.pmiProvider !== 'bundled' && (impl === 'openmpi' || impl === 'mpich')) blocks.push(pmix(plan));
    // MPICH < 4.1 under pmi2 uses its own simple PMI (blocks/mpich.ts): no Slurm library to build against.
    const ownPmi = impl === 'mpich' && pmi === 'pmi2' && mpichBefore41(plan);
    if (!distro && (pmi === 'pmi2' || pmi === 'pmi1') && !ownPmi) blocks.push(slurmPmi2(plan));
    if (distro) blocks.push(distroMpi(plan));
    else if (impl === 'openmpi') blocks.push(openmpi(plan));
    else if (impl === 'mpich') blocks.push(mpich(plan));
    else if (impl === 'mvapich2') blocks.push(mvapich2(plan));
    else if (impl === 'intelmpi') blocks.push(intelmpi(plan));
  }
  if (plan.gpu === 'nvidia') blocks.push(cuda(plan));
  if (plan.gdrcopy) blocks.push(gdrcopy(plan));
  if (plan.gpu === 'amd') blocks.push(rocm(plan));

  if (plan.pythonPrefix) blocks.push(python(plan));
  // Only the application's build tools (cmake, meson, git, ...): a block without packages adds nothing.
  const app = plan.app ? appBlock(plan) : undefined;
  if (app && Object.values(app.buildPackages).some((names) => names.length > 0)) blocks.push(app);
  const sourceBuilds = blocks.some((b) => b.build.length > 0);
  if (sourceBuilds || plan.app) {
    // HPC-X's Fortran bindings are prebuilt: its runtime needs libgfortran whatever mpi.fortran says.
    const fortran = sourceMpi ? plan.fortran && impl !== 'intelmpi' : plan.mpiSource === 'hpcx' && model !== 'none';
    blocks.push(toolchain(plan, { fetch: sourceBuilds, fortran }));
  }
  return orderBlocks(blocks);
}
