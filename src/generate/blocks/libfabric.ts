// libfabric (OFI): distribution packages, or a release build with the common providers.
import { componentPackages } from '../../facts/index.js';
import type { Plan } from '../plan.js';
import { configureMakeInstall, emptyBlock, fetchSource, mustLink, outputMustMatch, prepend, type Block } from './block.js';
import { GDRCOPY_PREFIX } from './gdrcopy.js';

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
  block.after = ['rdma-core', 'psm2', 'cuda', 'rocm', 'gdrcopy'];
  const options = [`--prefix=${LIBFABRIC_PREFIX}`, '--enable-tcp', '--enable-shm', '--enable-verbs', '--enable-rxm'];
  if (plan.transports.includes('psm2')) options.push('--enable-psm2');
  const cuda = plan.gpu === 'nvidia' && plan.awareMpi;
  if (cuda) {
    // Linked, not dlopened: with --enable-cuda-dlopen libfabric opens the unversioned libcudart.so
    // (src/hmem_cuda.c), which CUDA runtime images lack. configure's link test needs libcuda and
    // libnvidia-ml (configure.ac: FI_CHECK_PACKAGE cuda ... -lcuda -lnvidia-ml): the toolkit's stubs
    // stand in for the host driver, whose libraries --nv brings at run time.
    options.push('--with-cuda=/usr/local/cuda', 'LDFLAGS=-L/usr/local/cuda/lib64/stubs');
    if (plan.gdrcopy) options.push(`--with-gdrcopy=${GDRCOPY_PREFIX}`);
  }
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
  // Built with CUDA (FI_HMEM): the library links the CUDA runtime (and gdrcopy when asked).
  if (cuda) block.tests.push(...mustLink(`${LIBFABRIC_PREFIX}/lib/libfabric.so`, 'libcudart.so', 'libfabric CUDA (FI_HMEM) support'));
  if (cuda && plan.gdrcopy) block.tests.push(...mustLink(`${LIBFABRIC_PREFIX}/lib/libfabric.so`, 'libgdrapi.so', 'libfabric gdrcopy support'));
  return block;
}
