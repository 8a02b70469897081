// Slurm's PMI2 client library (libpmi2): distribution packages, or Slurm's contribs/pmi2 built
// from a Slurm release (the client speaks a wire protocol, so it need not match the host Slurm).
import { ALIASES, epelSetup } from '../distro.js';
import type { Plan } from '../plan.js';
import { emptyBlock, fetchTarball, prepend, type Block } from './block.js';

export const SLURM_PMI2_PREFIX = '/opt/slurm-pmi2';

export function slurmPmi2(plan: Plan): Block {
  if (plan.pmiProvider !== 'source') {
    const block = emptyBlock('slurm-pmi2', 'pmi', "Slurm's PMI2 client (distribution packages)");
    block.buildPackages = ALIASES['slurm-pmi2'].build;
    block.runtimePackages = ALIASES['slurm-pmi2'].runtime;
    block.after = ['ucx', 'libfabric'];
    if (plan.family === 'dnf' && plan.distro) {
      block.repo = { dnf: epelSetup(plan.distro) };
      block.runtimeRepo = { dnf: epelSetup(plan.distro) };
    }
    return block;
  }
  const block = emptyBlock('slurm-pmi2', 'pmi', `Slurm ${plan.slurmVersion} contribs/pmi2 client (release tarball)`);
  block.after = ['ucx', 'libfabric'];
  block.buildPackages = { apt: ['python3'], dnf: ['python3'], zypper: ['python3'] };
  block.build = [
    `SLURM_VERSION="${plan.slurmVersion}"`,
    ...fetchTarball('https://download.schedmd.com/slurm/slurm-${SLURM_VERSION}.tar.bz2', 'slurm.tar.bz2', 'slurm-"${SLURM_VERSION}"'),
    `./configure --prefix=${SLURM_PMI2_PREFIX} --without-munge --without-rpath`,
    'make -C contribs/pmi2 -j"$(nproc)" install',
  ];
  block.env = [prepend('LD_LIBRARY_PATH', `${SLURM_PMI2_PREFIX}/lib`)];
  block.copies = [SLURM_PMI2_PREFIX];
  return block;
}

/** Directory holding libpmi2 (for configure and for Intel MPI's I_MPI_PMI_LIBRARY). */
export function pmi2LibDir(plan: Plan, forShell: boolean): string {
  if (plan.pmiProvider === 'source') return `${SLURM_PMI2_PREFIX}/lib`;
  if (plan.family === 'apt') return forShell ? '/usr/lib/"$(gcc -print-multiarch)"' : '/usr/lib/x86_64-linux-gnu';
  return '/usr/lib64';
}

/** Prefix for `--with-pmi=` style options. */
export function pmi2Prefix(plan: Plan): string {
  return plan.pmiProvider === 'source' ? SLURM_PMI2_PREFIX : '/usr';
}

/** Directory holding Slurm's `pmi2.h` (MPICH/MVAPICH2 `--with-slurm-include`). */
export function pmi2IncludeDir(plan: Plan): string {
  return plan.pmiProvider === 'source' ? `${SLURM_PMI2_PREFIX}/include/slurm` : '/usr/include/slurm';
}
