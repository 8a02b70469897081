// gdrcopy user-space library only (`make lib lib_install`); the gdrdrv module is the host's.
import type { Plan } from '../plan.js';
import { emptyBlock, fetchTarball, prepend, type Block } from './block.js';

export const GDRCOPY_PREFIX = '/opt/gdrcopy';

export function gdrcopy(plan: Plan): Block {
  const block = emptyBlock('gdrcopy', 'gpu', `gdrcopy ${plan.gdrcopyVersion} (user-space library, release tarball)`);
  block.after = ['cuda'];
  block.build = [
    `GDRCOPY_VERSION="${plan.gdrcopyVersion}"`,
    ...fetchTarball('https://github.com/NVIDIA/gdrcopy/archive/refs/tags/v${GDRCOPY_VERSION}.tar.gz', 'gdrcopy.tar.gz', 'gdrcopy-"${GDRCOPY_VERSION}"'),
    `make prefix=${GDRCOPY_PREFIX} CUDA=/usr/local/cuda lib lib_install`,
  ];
  block.env = [prepend('LD_LIBRARY_PATH', `${GDRCOPY_PREFIX}/lib`)];
  block.copies = [GDRCOPY_PREFIX];
  return block;
}
