// libfabric (OFI): distribution packages, or a release build with the common providers.
import { componentPackages } from '../../facts/index.js';
import type { Plan } from '../plan.js';
import { configureMakeInstall, emptyBlock, fetchSource, outputMustMatch, prepend, type Block } from './block.js';

export const LIBFABRIC_PREFIX = '/opt/libfabric';

export function libfabric(plan: Plan): Block {
  if (plan.fabricSource === 'distro') {
    const block = emptyBlock('libfabric', 'fabric', 'libfabric / OFI (distribution packages)');
    block.after = ['rdma-core', 'psm2'];
    block.buildPackages = componentPackages('libfabric', 'build', plan.release);
    block.runtimePackages = componentPackages('libfabric', 'runtime', plan.release);
    return block;
  }
  const block = emptyBlock('libfabric', 'fabric', `libfabric ${plan.libfabricVersion} (release tarball)`);
  block.after = ['rdma-core', 'psm2', 'cuda', 'rocm'];
  const options = [`--prefix=${LIBFABRIC_PREFIX}`, '--enable-tcp', '--enable-shm', '--enable-verbs', '--enable-rxm'];
  if (plan.transports.includes('psm2')) options.push('--enable-psm2');
  if (plan.gpu === 'nvidia' && plan.awareMpi) options.push('--with-cuda=/usr/local/cuda');
  if (plan.gpu === 'amd' && plan.awareMpi) options.push('--with-rocr=/opt/rocm');
  const v = plan.libfabricVersion;
  block.build = [
    ...fetchSource(block, plan, 'libfabric', `https://github.com/ofiwg/libfabric/releases/download/v${v}/libfabric-${v}.tar.bz2`, './autogen.sh'),
    ...configureMakeInstall(options),
  ];
  block.env = [prepend('PATH', `${LIBFABRIC_PREFIX}/bin`), prepend('LD_LIBRARY_PATH', `${LIBFABRIC_PREFIX}/lib`)];
  block.copies = [LIBFABRIC_PREFIX];
  block.tests = [`${LIBFABRIC_PREFIX}/bin/fi_info --version`];
  if (plan.transports.includes('psm2')) block.tests.push(...outputMustMatch(`${LIBFABRIC_PREFIX}/bin/fi_info -l`, '^psm2', 'libfabric psm2 provider'));
  return block;
}
