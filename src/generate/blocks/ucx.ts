// UCX: distribution packages, or a release build with verbs/rdmacm and optional CUDA/ROCm/gdrcopy.
import { componentPackages } from '../../facts/index.js';
import type { Plan } from '../plan.js';
import { configureMakeInstall, emptyBlock, fetchSource, fileMustExist, prepend, type Block } from './block.js';
import { packagesOf, versionBefore } from './mpi-common.js';

export const UCX_PREFIX = '/opt/ucx';

export function ucx(plan: Plan): Block {
  if (plan.fabricSource === 'distro') {
    const block = emptyBlock('ucx', 'fabric', 'UCX (distribution packages)');
    block.after = ['rdma-core'];
    block.buildPackages = componentPackages('ucx', 'build', plan.release);
    block.runtimePackages = componentPackages('ucx', 'runtime', plan.release);
    return block;
  }
  const block = emptyBlock('ucx', 'fabric', `UCX ${plan.ucxVersion} (release tarball)`);
  block.after = ['rdma-core', 'cuda', 'rocm', 'gdrcopy'];
  block.buildPackages = packagesOf(plan, 'build', 'numa', 'binutils');
  // UCX's tools (ucx_perftest) are built with OpenMP: the runtime stage needs libgomp (found by the
  // e2e build's ldd check of debian-src-openmpi-pmix).
  block.runtimePackages = packagesOf(plan, 'runtime', 'numa', 'compilers');
  const options = [
    `--prefix=${UCX_PREFIX}`,
    '--enable-optimizations',
    '--disable-logging',
    '--disable-debug',
    '--disable-assertions',
    '--disable-params-check',
    '--disable-doxygen-doc',
    '--enable-mt',
    '--with-verbs',
    '--with-rdmacm',
  ];
  // UCX before 1.14 does not compile against binutils 2.40's bfd.h (the PTR macro is gone; Debian
  // patches 1.13.1 with ptr-fix.patch): build those without BFD's detailed backtraces.
  if (versionBefore(plan.ucxVersion, '1.14')) options.push('--without-bfd');
  if (plan.gpu === 'nvidia' && plan.awareMpi) options.push('--with-cuda=/usr/local/cuda');
  else options.push('--without-cuda');
  if (plan.gpu === 'amd' && plan.awareMpi) options.push('--with-rocm=/opt/rocm');
  if (plan.gdrcopy) options.push('--with-gdrcopy=/opt/gdrcopy');
  const v = plan.ucxVersion;
  block.build = [
    ...fetchSource(block, plan, 'ucx', `https://github.com/openucx/ucx/releases/download/v${v}/ucx-${v}.tar.gz`, './autogen.sh'),
    ...configureMakeInstall(options, './contrib/configure-release'),
  ];
  block.env = [prepend('PATH', `${UCX_PREFIX}/bin`), prepend('LD_LIBRARY_PATH', `${UCX_PREFIX}/lib`)];
  block.copies = [UCX_PREFIX];
  // The transports UCX really built: its loadable modules (the ldd check then proves they resolve).
  const modules: [string, string][] = [
    ['uct_ib', 'InfiniBand (verbs)'],
    ['uct_rdmacm', 'RDMA CM'],
  ];
  if (plan.gpu === 'nvidia' && plan.awareMpi) modules.push(['uct_cuda', 'CUDA']);
  if (plan.gdrcopy) modules.push(['uct_cuda_gdrcopy', 'gdrcopy']);
  if (plan.gpu === 'amd' && plan.awareMpi) modules.push(['uct_rocm', 'ROCm']);
  block.tests = [`${UCX_PREFIX}/bin/ucx_info -v`];
  for (const [module, what] of modules) block.tests.push(...fileMustExist(`${UCX_PREFIX}/lib/ucx`, `lib${module}.so*`, `UCX ${what} transport`));
  return block;
}
