// UCX: distribution packages, or a release build with verbs/rdmacm and optional CUDA/ROCm/gdrcopy.
import { ALIASES } from '../distro.js';
import type { Plan } from '../plan.js';
import { configureMakeInstall, emptyBlock, fetchTarball, prepend, type Block } from './block.js';

export const UCX_PREFIX = '/opt/ucx';

export function ucx(plan: Plan): Block {
  if (plan.fabricSource === 'distro') {
    const block = emptyBlock('ucx', 'fabric', 'UCX (distribution packages)');
    block.after = ['rdma-core'];
    block.buildPackages = ALIASES.ucx.build;
    block.runtimePackages = ALIASES.ucx.runtime;
    return block;
  }
  const block = emptyBlock('ucx', 'fabric', `UCX ${plan.ucxVersion} (release tarball)`);
  block.after = ['rdma-core', 'cuda', 'rocm', 'gdrcopy'];
  block.buildPackages = {
    apt: ['libnuma-dev', 'binutils-dev'],
    dnf: ['numactl-devel', 'binutils-devel'],
    zypper: ['libnuma-devel', 'binutils-devel'],
  };
  block.runtimePackages = { apt: ['libnuma1'], dnf: ['numactl-libs'], zypper: ['libnuma1'] };
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
  if (plan.gpu === 'nvidia' && plan.awareMpi) options.push('--with-cuda=/usr/local/cuda');
  else options.push('--without-cuda');
  if (plan.gpu === 'amd' && plan.awareMpi) options.push('--with-rocm=/opt/rocm');
  if (plan.gdrcopy) options.push('--with-gdrcopy=/opt/gdrcopy');
  block.build = [
    `UCX_VERSION="${plan.ucxVersion}"`,
    ...fetchTarball(
      'https://github.com/openucx/ucx/releases/download/v${UCX_VERSION}/ucx-${UCX_VERSION}.tar.gz',
      'ucx.tar.gz',
      'ucx-"${UCX_VERSION}"',
    ),
    ...configureMakeInstall(options, './contrib/configure-release'),
  ];
  block.env = [prepend('PATH', `${UCX_PREFIX}/bin`), prepend('LD_LIBRARY_PATH', `${UCX_PREFIX}/lib`)];
  block.copies = [UCX_PREFIX];
  block.tests = [`test -x ${UCX_PREFIX}/bin/ucx_info`, `${UCX_PREFIX}/bin/ucx_info -v`];
  return block;
}
