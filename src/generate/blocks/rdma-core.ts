// Inbox verbs / rdma-core user-space libraries (kernel drivers stay on the host).
import { ALIASES } from '../distro.js';
import { emptyBlock, type Block } from './block.js';

export function rdmaCore(): Block {
  const block = emptyBlock('rdma-core', 'fabric', 'InfiniBand verbs and RDMA CM (rdma-core, distribution packages)');
  block.buildPackages = ALIASES.verbs.build;
  block.runtimePackages = ALIASES.verbs.runtime;
  return block;
}

export function psm2(): Block {
  const block = emptyBlock('psm2', 'fabric', 'Omni-Path PSM2 (x86_64 only, distribution packages)');
  block.buildPackages = ALIASES.psm2.build;
  block.runtimePackages = ALIASES.psm2.runtime;
  return block;
}
