// Compilers and download tools for the build stage. Only the Fortran/OpenMP runtimes reach the
// runtime stage.
import { ALIASES } from '../distro.js';
import { emptyBlock, type Block, type PerFamily } from './block.js';

function merge(...sets: PerFamily[]): PerFamily {
  const out: PerFamily = {};
  for (const set of sets) {
    for (const [family, pkgs] of Object.entries(set) as [keyof PerFamily, string[]][]) {
      out[family] = [...(out[family] ?? []), ...pkgs];
    }
  }
  return out;
}

export function toolchain(opts: { fetch: boolean; fortran: boolean }): Block {
  const block = emptyBlock('toolchain', 'toolchain', 'Compilers and build tools');
  block.buildPackages = merge(
    ALIASES.compilers.build,
    opts.fetch ? ALIASES.fetch.build : {},
    opts.fortran ? ALIASES.fortran.build : {},
  );
  block.runtimePackages = opts.fortran ? ALIASES.fortran.runtime : {};
  return block;
}
