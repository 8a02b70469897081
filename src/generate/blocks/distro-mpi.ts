// The distribution's Open MPI or MPICH packages. Simple and quick to build; for the hybrid model
// the version rarely matches the host, for the pmi model it works when the distribution built
// the MPI with the PMI flavour the site's Slurm offers (Debian/Ubuntu Open MPI: PMIx).
import type { Plan } from '../plan.js';
import { emptyBlock, outputMustMatch, outputMustMention, prepend, type Block, type EnvVar, type PerFamily } from './block.js';
import { mpiCompatEnv, packagesOf, withElRepos } from './mpi-common.js';
import { componentPackages, type Component } from '../../facts/index.js';

interface DistroMpi {
  component: Component;
  /** Binary and library directories outside the default search path (EL, SUSE). */
  paths: Partial<Record<'dnf' | 'zypper', { bin: string; lib: string }>>;
}

const OPENMPI: DistroMpi = {
  component: 'distro-openmpi',
  paths: {
    dnf: { bin: '/usr/lib64/openmpi/bin', lib: '/usr/lib64/openmpi/lib' },
    zypper: { bin: '/usr/lib64/mpi/gcc/openmpi4/bin', lib: '/usr/lib64/mpi/gcc/openmpi4/lib64' },
  },
};

const MPICH: DistroMpi = {
  component: 'distro-mpich',
  paths: {
    dnf: { bin: '/usr/lib64/mpich/bin', lib: '/usr/lib64/mpich/lib' },
    zypper: { bin: '/usr/lib64/mpi/gcc/mpich/bin', lib: '/usr/lib64/mpi/gcc/mpich/lib64' },
  },
};

/** Libraries a bound-in host MPI of this ABI family typically needs from the image. */
function bindDependencies(plan: Plan, abi: 'openmpi' | 'mpich'): PerFamily {
  return abi === 'openmpi' ? packagesOf(plan, 'runtime', 'hwloc', 'libevent', 'pmix', 'zlib') : packagesOf(plan, 'runtime', 'hwloc', 'fortran');
}

export function distroMpi(plan: Plan): Block {
  const isOmpi = plan.impl === 'openmpi';
  const spec = isOmpi ? OPENMPI : MPICH;
  const block = emptyBlock('distro-mpi', 'mpi', `${isOmpi ? 'Open MPI' : 'MPICH'} (distribution packages)`);
  block.after = ['toolchain', 'rdma-core', 'psm2', 'ucx', 'libfabric', 'pmix', 'slurm-pmi2'];
  block.buildPackages = componentPackages(spec.component, 'build', plan.release);
  block.runtimePackages = componentPackages(spec.component, 'runtime', plan.release);
  block.bindRuntimePackages = bindDependencies(plan, isOmpi ? 'openmpi' : 'mpich');
  withElRepos(block, plan);
  const env: EnvVar[] = [];
  const paths = plan.family === 'dnf' || plan.family === 'zypper' ? spec.paths[plan.family] : undefined;
  if (paths) env.push(prepend('PATH', paths.bin), prepend('LD_LIBRARY_PATH', paths.lib));
  block.env = [...env, ...mpiCompatEnv(plan)];
  const bin = paths ? `${paths.bin}/` : '';
  if (isOmpi) {
    block.tests = [`${bin}ompi_info --version`];
    // The distribution's version is not pinned: 4.x names its PMIx component (ext3x / pmix3x),
    // 5.x has no pmix framework because PMIx is built in.
    if (plan.mpiPmi === 'pmix') {
      block.tests.push(...outputMustMatch(`${bin}ompi_info`, 'MCA pmix: (ext|pmix)[0-9]+x|Open MPI: 5[.]', 'PMIx support'));
    }
    for (const [transport, component] of [
      ['ucx', 'MCA pml: ucx'],
      ['ofi', 'MCA mtl: ofi'],
    ] as const) {
      if (plan.transports.includes(transport)) block.tests.push(...outputMustMatch(`${bin}ompi_info`, component, `${transport} support`));
    }
  } else {
    block.tests = outputMustMention(`${bin}mpiexec --version`, 'HYDRA', 'MPICH Hydra launcher');
  }
  return block;
}
