// Inbox verbs / rdma-core user-space libraries (kernel drivers stay on the host).
import { componentPackages } from '../../facts/index.js';
import type { Plan } from '../plan.js';
import { emptyBlock, type Block } from './block.js';

export function rdmaCore(plan: Plan): Block {
  const block = emptyBlock('rdma-core', 'fabric', 'InfiniBand verbs and RDMA CM (rdma-core, distribution packages)');
  block.buildPackages = componentPackages('verbs', 'build', plan.release);
  block.runtimePackages = componentPackages('verbs', 'runtime', plan.release);
  return block;
}

export function psm2(plan: Plan): Block {
  const block = emptyBlock('psm2', 'fabric', 'Omni-Path PSM2 (x86_64 only, distribution packages)');
  block.buildPackages = componentPackages('psm2', 'build', plan.release);
  block.runtimePackages = componentPackages('psm2', 'runtime', plan.release);
  return block;
}
