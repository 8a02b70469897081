// GPU (guidance §3 rules 7-9): no driver in the image, a toolkit that exists, GPU-aware MPI that can be built.
import { CUDA_REPO_ARCH, ROCM_ARCHES, driverPackage } from '../../facts/index.js';
import { installsCudaToolkit, nvidiaRepoOs, usesCudaImage } from '../blocks/cuda.js';
import { usesRocmImage } from '../blocks/rocm.js';
import type { PathSegment } from '../load.js';
import type { Recipe } from '../types.js';
import type { RecipeRule } from './rule.js';

const INSTALL_COMMAND = /\b(apt-get|apt|dnf|yum|microdnf|zypper)\b[^\n]*\binstall\b/;
const DRIVER_IN_SCRIPT = /\b(NVIDIA-Linux-[\w.-]*\.run)\b/;

function rawPackages(recipe: Recipe): { name: string; path: PathSegment[] }[] {
  const out: { name: string; path: PathSegment[] }[] = [];
  const add = (list: string[] | undefined, path: PathSegment[]) => list?.forEach((name, i) => out.push({ name, path: [...path, i] }));
  for (const family of ['apt', 'dnf', 'zypper'] as const) {
    add(recipe.packages?.[family], ['packages', family]);
    add(recipe.stages?.runtime?.packages?.[family], ['stages', 'runtime', 'packages', family]);
  }
  add(recipe.base?.include, ['base', 'include']);
  return out;
}

/** Package names on the install lines of a script (what DEF751 would find in the generated %post). */
export function installedInScript(script: string): string[] {
  const names: string[] = [];
  for (const line of script.split('\n')) {
    if (!INSTALL_COMMAND.test(line)) continue;
    for (const word of line.split(/[\s;&|()]+/)) if (/^[a-z0-9][a-z0-9+.-]*$/.test(word)) names.push(word);
  }
  return names;
}

export const gpuRules: RecipeRule[] = [
  {
    id: 'GEN301',
    summary: "No GPU driver packages or installers (the same classifier as the linter's DEF751).",
    check({ recipe, error }) {
      for (const pkg of rawPackages(recipe)) {
        const verdict = driverPackage(pkg.name);
        if (verdict)
          error(
            pkg.path,
            `'${pkg.name}' ${verdict.why}; the driver must come from the host (--nv / --rocm). Use a CUDA base image or cuda-toolkit-X-Y / ROCm user-space packages instead`,
          );
      }
      const scripts: [string | undefined, PathSegment[]][] = [
        [recipe.app?.build?.script, ['app', 'build', 'script']],
        ...Object.entries(recipe.apps ?? {}).map(([n, a]): [string | undefined, PathSegment[]] => [a.install, ['apps', n, 'install']]),
      ];
      for (const [script, path] of scripts) {
        if (!script) continue;
        const driver = installedInScript(script).find((name) => driverPackage(name) && !driverPackage(name)!.kernel) ?? DRIVER_IN_SCRIPT.exec(script)?.[1];
        if (driver) error(path, `'${driver}' installs a GPU driver; the driver must come from the host (--nv / --rocm)`);
        if (/\bamdgpu-install\b/.test(script) && !/--no-dkms/.test(script))
          error(path, 'amdgpu-install must be run with --no-dkms (the kernel driver belongs to the host)');
      }
    },
  },
  {
    id: 'GEN302',
    summary: 'NVIDIA: a CUDA toolkit that can be installed on this distribution and architecture.',
    check({ recipe, plan, warn, error }) {
      if (plan.gpu !== 'nvidia') return;
      const gpu = recipe.gpu ?? {};
      if (!usesCudaImage(plan.image) && !gpu.cuda?.version) {
        warn(['gpu'], 'gpu.vendor is nvidia but the base image is not nvidia/cuda and gpu.cuda.version is not set: no CUDA toolkit will be installed');
      }
      if (!usesCudaImage(plan.image) && gpu.cuda?.version && !nvidiaRepoOs(plan)) {
        error(
          ['gpu', 'cuda', 'version'],
          `NVIDIA publishes no CUDA repository for ${plan.distro ?? 'this distribution'}${plan.release ? ` ${plan.release.id}` : ''}: use an nvidia/cuda base image (Ubuntu 22.04/24.04, Debian 12, EL8/EL9 have repositories)`,
        );
      }
      const [major, minor] = (plan.cudaVersion ?? '').split('.').map(Number);
      if (installsCudaToolkit(plan) && plan.arch === 'ppc64le' && (major > 12 || (major === 12 && minor > 4))) {
        error(['base', 'arch'], `CUDA ${plan.cudaVersion} has no ppc64le build (the last is 12.4; repository dir ${CUDA_REPO_ARCH.ppc64le})`);
      }
      if (gpu.rocm) warn(['gpu', 'rocm'], 'gpu.rocm is ignored for vendor nvidia');
      if (gpu.nccl && !installsCudaToolkit(plan))
        error(['gpu', 'nccl'], "NCCL comes with an nvidia/cuda image or NVIDIA's CUDA repository: set gpu.cuda.version");
      if (!plan.multistage && plan.image && /-devel/.test(plan.image) && usesCudaImage(plan.image)) {
        warn(['stages', 'multistage'], 'single-stage build on a CUDA devel image: the final image will carry the whole toolkit (several GB)');
      }
    },
  },
  {
    id: 'GEN303',
    summary: 'AMD: ROCm comes from a rocm/* image on x86_64.',
    check({ recipe, plan, warn, error }) {
      if (plan.gpu !== 'amd') return;
      if (!usesRocmImage(plan.image) && !(recipe.stages?.runtime?.image && usesRocmImage(recipe.stages.runtime.image))) {
        warn(['base', 'image'], 'gpu.vendor is amd but the base image is not a rocm/* image: apptainer-gen does not install ROCm itself');
      }
      if (!ROCM_ARCHES.includes(plan.arch)) error(['gpu', 'vendor'], `ROCm supports x86_64 hosts only, not ${plan.arch}`);
      if (recipe.gpu?.cuda) warn(['gpu', 'cuda'], 'gpu.cuda is ignored for vendor amd');
      if (recipe.gpu?.gdrcopy) warn(['gpu', 'gdrcopy'], 'gdrcopy is NVIDIA-only and is ignored for vendor amd');
    },
  },
  {
    id: 'GEN304',
    summary: 'GPU settings need a GPU vendor.',
    check({ recipe, plan, warn }) {
      const gpu = recipe.gpu ?? {};
      if (gpu.nccl && plan.gpu === 'amd') warn(['gpu', 'nccl'], 'NCCL is NVIDIA-only and is ignored for vendor amd (ROCm has RCCL)');
      if (plan.gpu === 'none' && (gpu.awareMpi || gpu.gdrcopy || gpu.nccl || gpu.cuda || gpu.rocm))
        warn(['gpu'], "gpu settings are ignored because gpu.vendor is 'none'");
      if (recipe.jobScript?.gpusPerNode && plan.gpu === 'none') warn(['jobScript', 'gpusPerNode'], "jobScript.gpusPerNode is set but gpu.vendor is 'none'");
    },
  },
  {
    id: 'GEN305',
    summary: 'GPU-aware MPI is one apptainer-gen can build.',
    check({ plan, error, warn }) {
      if (!plan.awareMpi) return;
      const at: PathSegment[] = ['gpu', 'awareMpi'];
      const { model, impl } = plan;
      if (model === 'none' || !impl) error(at, 'gpu.awareMpi needs an MPI (mpi.model and mpi.impl)');
      else if (model === 'bind') error(at, 'in the bind model the MPI (and its GPU support) comes from the host; remove gpu.awareMpi');
      else if (plan.mpiSource === 'hpcx') {
        // HPC-X is published as CUDA builds only (GEN214 checks the CUDA major and the vendor).
      } else if (plan.mpiSource !== 'tarball') error(at, `GPU-aware MPI is built from source: set mpi.source: tarball (not ${plan.mpiSource})`);
      else if (impl === 'intelmpi') error(at, 'apptainer-gen cannot build a GPU-aware Intel MPI');
      else if (impl === 'openmpi' && !plan.transports.includes('ucx') && !(plan.gpu === 'nvidia' && plan.transports.includes('ofi')))
        error(
          ['mpi', 'fabric', 'transports'],
          `${plan.gpu === 'amd' ? "ROCm-aware Open MPI goes through UCX: add 'ucx'" : "CUDA-aware Open MPI goes through UCX or libfabric: add 'ucx' or 'ofi'"} to mpi.fabric.transports`,
        );
      else if (impl === 'openmpi' && plan.gpu === 'nvidia' && !plan.transports.includes('ucx') && plan.mpiMajor < 5)
        error(
          ['mpi', 'fabric', 'transports'],
          "CUDA-aware Open MPI over libfabric (the ofi MTL with FI_HMEM) is built as the Open MPI 5 documentation describes: use Open MPI 5.0.4 or later, or add 'ucx' to mpi.fabric.transports",
        );
      else if (impl === 'openmpi' && plan.gpu === 'amd' && plan.mpiMajor < 5) error(at, 'ROCm-aware Open MPI needs Open MPI 5.x (--with-rocm)');
      else if (impl === 'mvapich2' && plan.gpu === 'amd') error(at, 'apptainer-gen builds ROCm-aware MPI with Open MPI 5 or MPICH only');
      else if (plan.gpu === 'nvidia' && !installsCudaToolkit(plan))
        error(at, 'a CUDA-aware MPI is built against the CUDA toolkit: use an nvidia/cuda devel image or set gpu.cuda.version');
      else if (plan.fabricSource === 'distro' && (plan.transports.includes('ucx') || plan.transports.includes('ofi'))) {
        const which = plan.transports.includes('ucx') ? 'UCX' : 'libfabric';
        warn(['mpi', 'fabric', 'source'], `distribution ${which} is built without CUDA/ROCm: GPU buffers will be staged through host memory`);
      }
    },
  },
];
