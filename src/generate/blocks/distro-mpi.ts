// The distribution's Open MPI or MPICH packages. Simple and quick to build; for the hybrid model
// the version rarely matches the host, for the pmi model it works when the distribution built
// the MPI with the PMI flavour the site's Slurm offers (Debian/Ubuntu Open MPI: PMIx).
import type { Plan } from '../plan.js';
import { emptyBlock, outputMustMention, prepend, type Block, type EnvVar, type PerFamily } from './block.js';
import { mpiCompatEnv, withElRepos } from './mpi-common.js';
import { ALIASES } from '../distro.js';

interface DistroMpi {
  build: PerFamily;
  runtime: PerFamily;
  /** Binary and library directories outside the default search path (EL, SUSE). */
  paths: Partial<Record<'dnf' | 'zypper', { bin: string; lib: string }>>;
}

const OPENMPI: DistroMpi = {
  build: { apt: ['libopenmpi-dev', 'openmpi-bin'], dnf: ['openmpi-devel'], zypper: ['openmpi4-devel'] },
  runtime: { apt: ['libopenmpi3', 'openmpi-bin'], dnf: ['openmpi'], zypper: ['openmpi4'] },
  paths: {
    dnf: { bin: '/usr/lib64/openmpi/bin', lib: '/usr/lib64/openmpi/lib' },
    zypper: { bin: '/usr/lib64/mpi/gcc/openmpi4/bin', lib: '/usr/lib64/mpi/gcc/openmpi4/lib64' },
  },
};

const MPICH: DistroMpi = {
  build: { apt: ['libmpich-dev', 'mpich'], dnf: ['mpich-devel'], zypper: ['mpich-devel'] },
  runtime: { apt: ['libmpich12', 'mpich'], dnf: ['mpich'], zypper: ['mpich'] },
  paths: {
    dnf: { bin: '/usr/lib64/mpich/bin', lib: '/usr/lib64/mpich/lib' },
    zypper: { bin: '/usr/lib64/mpi/gcc/mpich/bin', lib: '/usr/lib64/mpi/gcc/mpich/lib64' },
  },
};

/** Libraries a bound-in host MPI of this ABI family typically needs from the image. */
const BIND_DEPENDENCIES: Record<'openmpi' | 'mpich', PerFamily> = {
  openmpi: {
    apt: [...(ALIASES.hwloc.runtime.apt ?? []), ...(ALIASES.libevent.runtime.apt ?? []), ...(ALIASES.pmix.runtime.apt ?? []), 'zlib1g'],
    dnf: [...(ALIASES.hwloc.runtime.dnf ?? []), ...(ALIASES.libevent.runtime.dnf ?? []), ...(ALIASES.pmix.runtime.dnf ?? []), 'zlib'],
    zypper: [...(ALIASES.hwloc.runtime.zypper ?? []), ...(ALIASES.libevent.runtime.zypper ?? []), 'libz1'],
  },
  mpich: {
    apt: [...(ALIASES.hwloc.runtime.apt ?? []), 'libgfortran5'],
    dnf: [...(ALIASES.hwloc.runtime.dnf ?? []), 'libgfortran'],
    zypper: [...(ALIASES.hwloc.runtime.zypper ?? []), 'libgfortran5'],
  },
};

export function distroMpi(plan: Plan): Block {
  const isOmpi = plan.impl === 'openmpi';
  const spec = isOmpi ? OPENMPI : MPICH;
  const block = emptyBlock('distro-mpi', 'mpi', `${isOmpi ? 'Open MPI' : 'MPICH'} (distribution packages)`);
  block.after = ['toolchain', 'rdma-core', 'psm2', 'ucx', 'libfabric', 'pmix', 'slurm-pmi2'];
  block.buildPackages = spec.build;
  block.runtimePackages = spec.runtime;
  block.bindRuntimePackages = BIND_DEPENDENCIES[isOmpi ? 'openmpi' : 'mpich'];
  withElRepos(block, plan);
  const env: EnvVar[] = [];
  const paths = plan.family === 'dnf' || plan.family === 'zypper' ? spec.paths[plan.family] : undefined;
  if (paths) env.push(prepend('PATH', paths.bin), prepend('LD_LIBRARY_PATH', paths.lib));
  block.env = [...env, ...mpiCompatEnv(plan)];
  const bin = paths ? `${paths.bin}/` : '';
  if (isOmpi) {
    block.tests = [`${bin}ompi_info --version`];
    if (plan.pmi === 'pmix') block.tests.push(...outputMustMention(`${bin}ompi_info`, 'pmix', 'PMIx support'));
  } else {
    block.tests = outputMustMention(`${bin}mpiexec --version`, 'HYDRA', 'MPICH Hydra launcher');
  }
  return block;
}
