// What `apptainer-gen doctor` learns about a host, in a form that can be written to host.yaml and
// read back (by the doctor's `--host FILE` and by a recipe's `host:` field). Every fact is either
// found, with the probe that found it, or unknown, with the reason; a missing tool is unknown,
// never an error. This module has no dependencies so both the doctor and the generator can use it.

export type Known<T> = { status: 'found'; value: T; source: string } | { status: 'unknown'; reason: string };

export function found<T>(value: T, source: string): Known<T> {
  return { status: 'found', value, source };
}

export function unknown<T = never>(reason: string): Known<T> {
  return { status: 'unknown', reason };
}

export function valueOf<T>(fact: Known<T>): T | undefined {
  return fact.status === 'found' ? fact.value : undefined;
}

/** MPI implementations as the generator names them, plus Cray MPICH (bind model only). */
export type HostMpiFamily = 'openmpi' | 'mpich' | 'mvapich2' | 'intelmpi' | 'cray-mpich';
/** The two MPI ABIs: Open MPI's, and the MPICH ABI shared by MPICH, MVAPICH2, Intel MPI and Cray MPICH. */
export type MpiAbi = 'openmpi' | 'mpich';

export interface SrunMpi {
  /** `srun --mpi=list` plugin names as printed (`pmix`, `pmi2`, `none`, `cray_shasta`, `pmix_v4`...). */
  plugins: string[];
  /** PMIx plugin versions (`pmix_v4`), when Slurm lists them. */
  pmixVersions: string[];
}

export interface HostMpi {
  family: HostMpiFamily;
  version?: string;
  /** Which launcher or tool identified it (`mpirun`, `mpichversion`, `ompi_info`). */
  tool: string;
  /** Absolute path of the launcher, when found on PATH. */
  path?: string;
}

export interface MpiLibrary {
  /** Full path of the library file. */
  path: string;
  /** File name with its ABI version, e.g. `libmpi.so.40`. */
  soname: string;
  abi?: MpiAbi;
}

export interface NvidiaDriver {
  version: string;
  gpus: string[];
}

export interface RocmInstall {
  /** User-space ROCm release (`/opt/rocm/.info/version`), e.g. `6.1.1`. */
  version?: string;
  /** amdgpu kernel driver version (`rocm-smi --showdriverversion` or /sys/module/amdgpu/version). */
  driverVersion?: string;
  /** Whether /dev/kfd (the compute device) exists. */
  kfd: boolean;
}

export interface Libfabric {
  version?: string;
  providers: string[];
}

export interface HostFacts {
  slurm: { version: Known<string>; mpi: Known<SrunMpi> };
  mpi: { launcher: Known<HostMpi>; dir: Known<string>; library: Known<MpiLibrary> };
  gpu: { nvidia: Known<NvidiaDriver>; rocm: Known<RocmInstall> };
  fabric: { infiniband: Known<string[]>; libfabric: Known<Libfabric>; ucx: Known<string> };
}

/** Every fact, flattened with a dotted name (for counting, reports and host.yaml). */
export function eachFact(host: HostFacts): [string, Known<unknown>][] {
  const out: [string, Known<unknown>][] = [];
  for (const [group, facts] of Object.entries(host) as [string, Record<string, Known<unknown>>][]) {
    for (const [name, fact] of Object.entries(facts)) out.push([`${group}.${name}`, fact]);
  }
  return out;
}

/** `srun --mpi=` plugins normalised: `pmix_v4` counts as `pmix`. */
export function offersPlugin(srun: SrunMpi, plugin: string): boolean {
  return srun.plugins.some((p) => p === plugin || (plugin === 'pmix' && /^pmix_v\d+$/.test(p)));
}
