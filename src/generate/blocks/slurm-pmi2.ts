// Slurm's PMI client libraries (libpmi2, or libpmi for PMI-1): distribution packages, or Slurm's
// contribs/pmi2 built from a Slurm release (the client speaks a wire protocol, so it need not match
// the host Slurm).
import { componentPackages, systemLibDir } from '../../facts/index.js';
import { epelSetup } from '../distro.js';
import type { Plan } from '../plan.js';
import { emptyBlock, fetchSource, prepend, type Block } from './block.js';

export const SLURM_PMI2_PREFIX = '/opt/slurm-pmi2';

export function slurmPmi2(plan: Plan): Block {
  if (plan.pmiProvider !== 'source') {
    const component = plan.mpiPmi === 'pmi1' ? 'slurm-pmi1' : 'slurm-pmi2';
    const block = emptyBlock('slurm-pmi2', 'pmi', `Slurm's ${plan.mpiPmi === 'pmi1' ? 'PMI-1' : 'PMI2'} client (distribution packages)`);
    block.buildPackages = componentPackages(component, 'build', plan.release);
    block.runtimePackages = componentPackages(component, 'runtime', plan.release);
    block.after = ['ucx', 'libfabric'];
    if (plan.family === 'dnf' && plan.distro) {
      block.repo = { dnf: epelSetup(plan.distro) };
      block.runtimeRepo = { dnf: epelSetup(plan.distro) };
    }
    return block;
  }
  const block = emptyBlock('slurm-pmi2', 'pmi', `Slurm ${plan.slurmVersion} contribs/pmi2 client (release tarball)`);
  block.after = ['ucx', 'libfabric'];
  block.buildPackages = componentPackages('python3', 'build', plan.release);
  block.build = [
    ...fetchSource(block, plan, 'slurm', `https://download.schedmd.com/slurm/slurm-${plan.slurmVersion}.tar.bz2`, './autogen.sh'),
    `./configure --prefix=${SLURM_PMI2_PREFIX} --without-munge --without-rpath`,
    'make -C contribs/pmi2 -j"$(nproc)" install',
  ];
  block.env = [prepend('LD_LIBRARY_PATH', `${SLURM_PMI2_PREFIX}/lib`)];
  block.copies = [SLURM_PMI2_PREFIX];
  return block;
}

/** Directory holding libpmi2 / libpmi (for configure and for Intel MPI's I_MPI_PMI_LIBRARY). */
export function pmi2LibDir(plan: Plan): string {
  if (plan.pmiProvider === 'source') return `${SLURM_PMI2_PREFIX}/lib`;
  return systemLibDir(plan.family ?? 'dnf', plan.arch);
}

/** Prefix for `--with-pmi=` style options. */
export function pmi2Prefix(plan: Plan): string {
  return plan.pmiProvider === 'source' ? SLURM_PMI2_PREFIX : '/usr';
}

/** Directory holding Slurm's `pmi2.h` (MPICH/MVAPICH2 `--with-slurm-include`). */
export function pmi2IncludeDir(plan: Plan): string {
  return plan.pmiProvider === 'source' ? `${SLURM_PMI2_PREFIX}/include/slurm` : '/usr/include/slurm';
}
