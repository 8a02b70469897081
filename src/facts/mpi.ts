// MPI, PMI, fabric and GPU facts the generator and the job-script checker rely on, each with its source.
import type { Arch } from './distros.js';

/**
 * Intel MPI's directory layout changed in 2021.11 (oneAPI 2024.0, "unified directory layout"):
 * libfabric moved from `libfabric/` to `opt/mpi/libfabric/`, and `lib/release/` was folded into
 * `lib/`. Source: Intel MPI Library release notes 2021.11
 * (https://www.intel.com/content/www/us/en/developer/articles/release-notes/mpi-library-release-notes.html)
 * and the oneAPI 2024.0 directory-layout note
 * (https://www.intel.com/content/www/us/en/developer/articles/technical/oneapi-2024-0-directory-layout.html).
 */
export interface IntelMpiLayout {
  /** Directories to prepend to LD_LIBRARY_PATH, relative to the version root, first wins. */
  libDirs: string[];
  /** libfabric providers (FI_PROVIDER_PATH), relative to the version root. */
  providerDir: string;
}

export function intelMpiLayout(version: string): IntelMpiLayout {
  const m = /^(\d+)\.(\d+)/.exec(version);
  const unified = !m || Number(m[1]) > 2021 || (Number(m[1]) === 2021 && Number(m[2]) >= 11);
  return unified
    ? { libDirs: ['lib', 'opt/mpi/libfabric/lib'], providerDir: 'opt/mpi/libfabric/lib/prov' }
    : { libDirs: ['lib/release', 'lib', 'libfabric/lib'], providerDir: 'libfabric/lib/prov' };
}

/**
 * Open MPI 5.0.0-5.0.3 can be built with `--with-cuda` and still report
 * `mpi_built_with_cuda_support:value:false` (open-mpi/ompi#12334; the fix is in the 5.0.x docs
 * update open-mpi/ompi#12941). The generator rejects these versions for CUDA-aware builds and its
 * `%test` asks ompi_info in every case.
 */
export function openMpiCudaUnreliable(version: string): boolean {
  return /^5\.0\.[0-3]$/.test(version);
}

/**
 * MPICH's Hydra (`mpiexec`/`mpirun`) serves MPICH's built-in PMI client; an MPICH (or MVAPICH2)
 * configured with an external PMI library (`--with-pmilib=slurm`, `--with-pmi=pmix`,
 * `--with-pm=slurm`) disables the built-in process manager and cannot be started by Hydra: the ranks
 * come up as N singletons. Sources: MPICH README "PMI" options; pmodels/mpich#6662 ("disable built-in
 * pm if user is configuring with external pmi library").
 */
export const HYDRA_NEEDS_BUILTIN_PMI = 'MPICH README (PMI options); pmodels/mpich#6662';

/** `srun --mpi=` plugins a recipe may ask for. `cray_shasta` is HPE Cray EX's PALS PMI plugin (Slurm mpi_guide, "Cray"). */
export const SRUN_MPI_PLUGINS = ['pmix', 'pmi2', 'pmi1', 'cray_shasta'] as const;

/**
 * HPE Cray MPICH keeps its MPICH-ABI compatible libraries (libmpi.so.12) in `lib-abi-mpich` next to
 * `lib`; containers built against MPICH must put that directory first. Sources: HPE Cray Programming
 * Environment "Using containers" notes; LUMI documentation, "Running containers with Cray MPICH"
 * (https://docs.lumi-supercomputer.eu/software/containers/singularity/).
 */
export const CRAY_ABI_LIB_DIR = 'lib-abi-mpich';

/** PSM2 (Omni-Path) is x86_64 only (Intel PSM2 README, https://github.com/cornelisnetworks/opa-psm2). */
export const PSM2_ARCHES: readonly Arch[] = ['x86_64'];

/** ROCm supports x86_64 hosts only (ROCm system requirements, https://rocm.docs.amd.com/projects/install-on-linux/en/latest/reference/system-requirements.html). */
export const ROCM_ARCHES: readonly Arch[] = ['x86_64'];

/** Intel MPI (oneAPI) is x86_64 only (Intel MPI system requirements). */
export const INTEL_MPI_ARCHES: readonly Arch[] = ['x86_64'];

/**
 * Directory of NVIDIA's CUDA repository per architecture (`sbsa` for Arm servers), from
 * https://developer.download.nvidia.com/compute/cuda/repos/ (e.g. ubuntu2204/sbsa, rhel9/sbsa).
 * ppc64le was dropped after CUDA 12.4 (CUDA 12.5 release notes).
 */
export const CUDA_REPO_ARCH: Record<Arch, string> = { x86_64: 'x86_64', aarch64: 'sbsa', ppc64le: 'ppc64le' };
