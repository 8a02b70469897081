// OpenPMIx client library: distribution packages or a release build. (Open MPI can also use its
// bundled copy, in which case no block is needed.)
import { componentPackages, systemLibDir } from '../../facts/index.js';
import type { Plan } from '../plan.js';
import { configureMakeInstall, emptyBlock, fetchSource, prepend, type Block } from './block.js';
import { packagesOf } from './mpi-common.js';

export const PMIX_PREFIX = '/opt/pmix';

export function pmix(plan: Plan): Block {
  if (plan.pmiProvider === 'distro') {
    const block = emptyBlock('pmix', 'pmi', 'PMIx client (distribution packages)');
    block.buildPackages = componentPackages('pmix', 'build', plan.release);
    block.runtimePackages = componentPackages('pmix', 'runtime', plan.release);
    block.after = ['ucx', 'libfabric'];
    return block;
  }
  const block = emptyBlock('pmix', 'pmi', `OpenPMIx ${plan.pmixVersion} (release tarball)`);
  block.after = ['ucx', 'libfabric'];
  // Open MPI and PMIx must share libevent and hwloc, so both come from the distribution.
  block.buildPackages = packagesOf(plan, 'build', 'libevent', 'hwloc');
  block.runtimePackages = packagesOf(plan, 'runtime', 'libevent', 'hwloc');
  const v = plan.pmixVersion;
  block.build = [
    ...fetchSource(block, plan, 'pmix', `https://github.com/openpmix/openpmix/releases/download/v${v}/pmix-${v}.tar.bz2`, './autogen.pl'),
    ...configureMakeInstall([`--prefix=${PMIX_PREFIX}`, '--with-libevent', '--with-hwloc', '--disable-man-pages']),
  ];
  block.env = [prepend('PATH', `${PMIX_PREFIX}/bin`), prepend('LD_LIBRARY_PATH', `${PMIX_PREFIX}/lib`)];
  block.copies = [PMIX_PREFIX];
  return block;
}

/** Where configure finds PMIx for `--with-pmix=`. */
export function pmixLocation(plan: Plan): string {
  if (plan.pmiProvider === 'bundled') return 'internal';
  if (plan.pmiProvider === 'source') return PMIX_PREFIX;
  // Debian/Ubuntu install the PMIx development tree under a multiarch directory.
  if (plan.family === 'apt') return `${systemLibDir('apt', plan.arch)}/pmix2`;
  return '/usr';
}
