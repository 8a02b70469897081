// OpenPMIx client library: distribution packages or a release build. (Open MPI can also use its
// bundled copy, in which case no block is needed.)
import { ALIASES } from '../distro.js';
import type { Plan } from '../plan.js';
import { configureMakeInstall, emptyBlock, fetchTarball, prepend, type Block } from './block.js';

export const PMIX_PREFIX = '/opt/pmix';

export function pmix(plan: Plan): Block {
  if (plan.pmiProvider === 'distro') {
    const block = emptyBlock('pmix', 'pmi', 'PMIx client (distribution packages)');
    block.buildPackages = ALIASES.pmix.build;
    block.runtimePackages = ALIASES.pmix.runtime;
    block.after = ['ucx', 'libfabric'];
    return block;
  }
  const block = emptyBlock('pmix', 'pmi', `OpenPMIx ${plan.pmixVersion} (release tarball)`);
  block.after = ['ucx', 'libfabric'];
  // Open MPI and PMIx must share libevent and hwloc, so both come from the distribution.
  block.buildPackages = {
    apt: [...(ALIASES.libevent.build.apt ?? []), ...(ALIASES.hwloc.build.apt ?? [])],
    dnf: [...(ALIASES.libevent.build.dnf ?? []), ...(ALIASES.hwloc.build.dnf ?? [])],
    zypper: [...(ALIASES.libevent.build.zypper ?? []), ...(ALIASES.hwloc.build.zypper ?? [])],
  };
  block.runtimePackages = {
    apt: [...(ALIASES.libevent.runtime.apt ?? []), ...(ALIASES.hwloc.runtime.apt ?? [])],
    dnf: [...(ALIASES.libevent.runtime.dnf ?? []), ...(ALIASES.hwloc.runtime.dnf ?? [])],
    zypper: [...(ALIASES.libevent.runtime.zypper ?? []), ...(ALIASES.hwloc.runtime.zypper ?? [])],
  };
  block.build = [
    `PMIX_VERSION="${plan.pmixVersion}"`,
    ...fetchTarball(
      'https://github.com/openpmix/openpmix/releases/download/v${PMIX_VERSION}/pmix-${PMIX_VERSION}.tar.bz2',
      'pmix.tar.bz2',
      'pmix-"${PMIX_VERSION}"',
    ),
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
  if (plan.family === 'apt') return '/usr/lib/"$(gcc -print-multiarch)"/pmix2';
  return '/usr';
}
