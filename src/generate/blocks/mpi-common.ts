// Pieces shared by the MPI blocks: runtime workarounds for unprivileged containers, the
// per-family packages an MPI build needs, and the version/PMI checks for %test.
import { epelSetup } from '../distro.js';
import { ALLOW_ARGUMENT_MISMATCH_SINCE_GCC, componentPackages, type Component } from '../../facts/index.js';
import type { Plan } from '../plan.js';
import { emptyBlock, type Block, type BlockId, type EnvVar, type PerFamily } from './block.js';
import type { Family } from '../types.js';

/** True when the version is a `{{ ARG }}` placeholder, so version rules cannot be evaluated. */
export function isTemplated(value: string): boolean {
  return value.includes('{{');
}

/** Whether a dotted version is older than `than` (false when templated or not numeric: assume current). */
export function versionBefore(version: string, than: string): boolean {
  if (!/^\d+(\.\d+)*$/.test(version)) return false;
  const a = version.split('.').map(Number);
  const b = than.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0;
  }
  return false;
}

/** Environment that keeps MPI shared memory working across user namespaces (guidance §2.5, §2.10). */
export function mpiCompatEnv(plan: Plan): EnvVar[] {
  const env: EnvVar[] = [];
  const ucx = plan.transports.includes('ucx');
  if (ucx && plan.usernsShm === 'proc_link') env.push(['UCX_POSIX_USE_PROC_LINK', 'n']);
  if (ucx && plan.usernsShm === 'sysv') {
    const tls = ['sysv', ...(plan.disableCma ? [] : ['cma']), 'ib'];
    // Restricting UCX_TLS must not drop the GPU transports of GPU-aware builds.
    if (plan.awareMpi && plan.gpu === 'nvidia') tls.push('cuda_copy', 'cuda_ipc', ...(plan.gdrcopy ? ['gdr_copy'] : []));
    if (plan.awareMpi && plan.gpu === 'amd') tls.push('rocm_copy', 'rocm_ipc');
    env.push(['UCX_TLS', tls.join(',')]);
  }
  if (plan.impl === 'openmpi') {
    if (ucx) env.push(['OMPI_MCA_pml', 'ucx']);
    if (plan.disableCma && !(plan.mpiMajor >= 5)) env.push(['OMPI_MCA_btl_vader_single_copy_mechanism', 'none']);
  }
  if (plan.impl === 'mvapich2' && plan.disableCma) env.push(['MV2_SMP_USE_CMA', '0']);
  if (plan.mpiPmi === 'pmix' && plan.pmixGds !== 'unset') env.push(['PMIX_MCA_gds', plan.pmixGds]);
  return env;
}

function join(...sets: PerFamily[]): PerFamily {
  const out: PerFamily = {};
  for (const set of sets) {
    for (const family of Object.keys(set) as Family[]) out[family] = [...(out[family] ?? []), ...(set[family] ?? [])];
  }
  return out;
}

/** Build/runtime packages common to source-built MPIs (hwloc, libevent, numa, ssh client for mpirun). */
export function sourceMpiPackages(plan: Plan): { build: PerFamily; runtime: PerFamily } {
  const parts: Component[] = ['hwloc', 'libevent', 'numa', 'zlib', 'ssh-client'];
  return { build: packagesOf(plan, 'build', ...parts), runtime: packagesOf(plan, 'runtime', ...parts) };
}

/** The packages of some components for the plan's release, per family. */
export function packagesOf(plan: Plan, role: 'build' | 'runtime', ...components: Component[]): PerFamily {
  return join(...components.map((c) => componentPackages(c, role, plan.release)));
}

/**
 * The start of a source-built MPI block: its dependency order, the packages every source MPI
 * needs (build stage and runtime stage; a bind-model runtime gets the same), and EL's extra repos.
 */
export function sourceMpiBlock(id: BlockId, title: string, after: BlockId[], plan: Plan): Block {
  const block = emptyBlock(id, 'mpi', title);
  block.after = after;
  const pkgs = sourceMpiPackages(plan);
  block.buildPackages = pkgs.build;
  block.runtimePackages = pkgs.runtime;
  block.bindRuntimePackages = pkgs.runtime;
  withElRepos(block, plan);
  return block;
}

/** EL keeps hwloc-devel and friends in CRB/PowerTools. */
export function withElRepos(block: Block, plan: Plan): void {
  if (plan.family === 'dnf' && plan.distro) block.repo = { ...block.repo, dnf: epelSetup(plan.distro) };
}

/**
 * Build-time FFLAGS that let gfortran >= 10 compile the MPI Fortran bindings. Older gfortran
 * (EL8's 8, Leap 15's 7) rejects the flag, and does not need it.
 */
export function gfortranCompat(plan: Plan): string[] {
  const gcc = plan.release?.gccMajor;
  if (gcc !== undefined && gcc < ALLOW_ARGUMENT_MISMATCH_SINCE_GCC) return [];
  return ['FFLAGS=-fallow-argument-mismatch', 'FCFLAGS=-fallow-argument-mismatch'];
}
