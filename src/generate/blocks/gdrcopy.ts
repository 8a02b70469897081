// gdrcopy user-space library only (`make lib lib_install`); the gdrdrv module is the host's.
import type { Plan } from '../plan.js';
import { emptyBlock, fetchSource, prepend, type Block } from './block.js';

export const GDRCOPY_PREFIX = '/opt/gdrcopy';

export function gdrcopy(plan: Plan): Block {
  const block = emptyBlock('gdrcopy', 'gpu', `gdrcopy ${plan.gdrcopyVersion} (user-space library, release tarball)`);
  block.after = ['cuda'];
  block.build = [
    ...fetchSource(block, plan, 'gdrcopy', `https://github.com/NVIDIA/gdrcopy/archive/refs/tags/v${plan.gdrcopyVersion}.tar.gz`),
    `make prefix=${GDRCOPY_PREFIX} CUDA=/usr/local/cuda lib lib_install`,
  ];
  block.env = [prepend('LD_LIBRARY_PATH', `${GDRCOPY_PREFIX}/lib`)];
  block.copies = [GDRCOPY_PREFIX];
  return block;
}
