// Compilers and download tools for the build stage. Only the Fortran/OpenMP runtimes reach the
// runtime stage.
import type { Plan } from '../plan.js';
import { emptyBlock, type Block } from './block.js';
import { packagesOf } from './mpi-common.js';

export function toolchain(plan: Plan, opts: { fetch: boolean; fortran: boolean }): Block {
  const block = emptyBlock('toolchain', 'toolchain', 'Compilers and build tools');
  block.buildPackages = packagesOf(plan, 'build', 'compilers', ...(opts.fetch ? (['fetch'] as const) : []), ...(opts.fortran ? (['fortran'] as const) : []));
  block.runtimePackages = opts.fortran ? packagesOf(plan, 'runtime', 'fortran') : {};
  return block;
}
