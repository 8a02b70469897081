// A Python stack under the install prefix: a venv of the distribution's Python with pinned pip
// requirements, or a conda environment created by micromamba. mpi4py is always compiled from source
// against the image's MPI (`--no-binary=mpi4py`, MPICC=mpicc): since mpi4py 4.1 PyPI has binary
// wheels, and conda's mpi4py brings conda's own MPI, either of which would shadow the image's MPI
// and, in the hybrid and bind models, the host's (https://mpi4py.readthedocs.io/en/4.1.1/install.html).
import type { Plan } from '../plan.js';
import { emptyBlock, prepend, type Block } from './block.js';
import { packagesOf } from './mpi-common.js';
import { shQuote } from '../shell.js';
import type { Arch } from '../../facts/index.js';

/** micromamba's static binaries per architecture (https://github.com/mamba-org/micromamba-releases/releases). */
const MICROMAMBA_PLATFORM: Record<Arch, string> = { x86_64: 'linux-64', aarch64: 'linux-aarch64', ppc64le: 'linux-ppc64le' };
export const DEFAULT_MICROMAMBA = '1.5.8-0';

export function micromambaUrl(version: string, arch: Arch): string {
  return `https://github.com/mamba-org/micromamba-releases/releases/download/${version}/micromamba-${MICROMAMBA_PLATFORM[arch]}`;
}

/** pip install lines (one requirement per line), with pip's cache off. */
function pipInstall(python: string, requirements: string[]): string[] {
  if (requirements.length === 0) return [];
  return [`${python} -m pip install --no-cache-dir \\`, ...requirements.map((r, i) => `    ${shQuote(r)}${i === requirements.length - 1 ? '' : ' \\'}`)];
}

function mpi4pyLines(python: string, version: string | undefined): string[] {
  if (!version) return [];
  return [
    '# mpi4py from source, against the MPI of this image (never a wheel or conda MPI).',
    `MPICC=mpicc ${python} -m pip install --no-cache-dir --no-binary=mpi4py mpi4py==${version}`,
  ];
}

/** %test: mpi4py's extension module links the image's libmpi (in the bind model, the host's at run time). */
function mpi4pyTest(prefix: string): string[] {
  return [
    `mpi4py_ext=$(find ${prefix} -path '*mpi4py/MPI*.so' -print -quit)`,
    'if [ -z "$mpi4py_ext" ]; then echo "%test: mpi4py extension module not found" >&2; exit 1; fi',
    'mpi4py_libs=$(ldd "$mpi4py_ext") || { echo "%test: ldd $mpi4py_ext failed" >&2; exit 1; }',
    'case "$mpi4py_libs" in',
    '  *libmpi*) echo "ok: mpi4py is linked to the MPI library of the image" ;;',
    '  *) echo "%test: mpi4py is not linked to libmpi" >&2; exit 1 ;;',
    'esac',
  ];
}

export function python(plan: Plan): Block {
  const spec = plan.recipe.python ?? {};
  const prefix = plan.pythonPrefix ?? `${plan.appPrefix}/venv`;
  const conda = spec.conda;
  const block = emptyBlock('python', 'app', conda ? `Python: conda environment in ${prefix} (micromamba)` : `Python: venv in ${prefix}`);
  block.after = ['toolchain', 'cuda', 'rocm', 'distro-mpi', 'openmpi', 'mpich', 'mvapich2', 'intelmpi', 'hpcx'];
  const mpi4py = conda ? conda.mpi4py : spec.pip?.mpi4py;
  const py = `${prefix}/bin/python`;
  if (conda) {
    const version = conda.micromamba?.version ?? DEFAULT_MICROMAMBA;
    const channels = conda.channels ?? ['conda-forge'];
    // pip is needed inside the environment for pip requirements and for mpi4py.
    const packages = [...conda.packages, ...((conda.pip?.length ?? 0) > 0 || mpi4py ? ['pip'] : [])];
    block.buildPackages = packagesOf(plan, 'build', 'fetch', ...(mpi4py ? (['python-dev'] as const) : []));
    block.build = [
      `curl -fsSL --retry 3 -o micromamba ${shQuote(micromambaUrl(version, plan.arch))}`,
      ...(conda.micromamba?.sha256 ? [`echo "${conda.micromamba.sha256}  micromamba" | sha256sum -c -`] : []),
      'chmod +x micromamba',
      // Package caches go under the build directory, which is removed at the end of %post.
      'export MAMBA_ROOT_PREFIX="$PWD/mamba-root"',
      "cat > environment.yml <<'EOF'",
      'channels:',
      ...channels.map((c) => `  - ${c}`),
      'dependencies:',
      ...packages.map((p) => `  - ${p}`),
      'EOF',
      `./micromamba create --yes --prefix ${prefix} --file environment.yml`,
      ...pipInstall(py, conda.pip ?? []),
      ...mpi4pyLines(py, mpi4py),
      './micromamba clean --all --yes',
    ];
    block.env = [['CONDA_PREFIX', prefix], prepend('PATH', `${prefix}/bin`)];
  } else {
    block.buildPackages = packagesOf(plan, 'build', 'python-dev');
    block.runtimePackages = packagesOf(plan, 'runtime', 'python-dev');
    block.build = [`python3 -m venv ${prefix}`, ...pipInstall(py, spec.pip?.requirements ?? []), ...mpi4pyLines(py, mpi4py)];
    block.env = [['VIRTUAL_ENV', prefix], prepend('PATH', `${prefix}/bin`)];
  }
  block.copies = [prefix];
  block.tests = [`${py} -c 'import sys; print("ok: Python", sys.version.split()[0])'`, ...(mpi4py ? mpi4pyTest(prefix) : [])];
  return block;
}
