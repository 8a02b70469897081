// NVIDIA HPC-X (`mpi.source: hpcx`): a vendor binary whose tarball name the recipe must pin down
// (src/facts/hpcx.ts), launched by the host's HPC-X of the same version.
import { HPCX_ARCHES, HPCX_MIN_VERSION, hpcxCudaChoosable, hpcxVersionSupported } from '../../facts/index.js';
import { DEFAULT_HPCX_VERSION } from '../plan.js';
import type { RecipeRule, RuleContext } from './rule.js';

/** Settings that do not apply to a prebuilt HPC-X: warned about, not silently dropped. */
function ignoredSettings({ mpi, warn }: RuleContext): void {
  const why = 'is ignored with mpi.source: hpcx (HPC-X is a prebuilt binary release)';
  if (mpi.version) warn(['mpi', 'version'], `mpi.version ${why}: the release is mpi.hpcx.version, and its Open MPI is the one it bundles`);
  if (mpi.configure?.length) warn(['mpi', 'configure'], `mpi.configure ${why}`);
  if (mpi.pmi?.provider || mpi.pmi?.pmixVersion || mpi.pmi?.slurmVersion) warn(['mpi', 'pmi'], `mpi.pmi ${why}: its Open MPI uses its own PMIx`);
  const fabric = mpi.fabric ?? {};
  for (const key of ['source', 'ucxVersion', 'libfabricVersion'] as const) {
    if (fabric[key]) warn(['mpi', 'fabric', key], `mpi.fabric.${key} ${why}: it bundles its own UCX`);
  }
  if (mpi.fortran === false) warn(['mpi', 'fortran'], `mpi.fortran ${why}: its Fortran bindings are part of it`);
}

export const hpcxRules: RecipeRule[] = [
  {
    id: 'GEN214',
    summary: 'NVIDIA HPC-X: a tarball that can be named, the hybrid model, the CUDA it was built for.',
    check(ctx) {
      const { recipe, plan, mpi, error, warn } = ctx;
      if (plan.mpiSource !== 'hpcx' || !plan.hpcx) {
        if (mpi.hpcx) warn(['mpi', 'hpcx'], 'mpi.hpcx is used only with mpi.source: hpcx', true);
        return;
      }
      if (plan.model === 'none' || plan.impl !== 'openmpi') return; // GEN201/GEN202 report these
      const h = plan.hpcx;
      if (plan.model !== 'hybrid') {
        error(
          ['mpi', 'model'],
          `HPC-X is supported in the hybrid model only (the host's HPC-X ${h.version} mpirun starts the ranks): use mpi.model: hybrid, or build Open MPI from source (source: tarball) for the ${plan.model} model`,
        );
      }
      if (!mpi.hpcx?.version) {
        warn(
          mpi.hpcx ? ['mpi', 'hpcx'] : ['mpi', 'source'],
          `hybrid model: the image's HPC-X must be the host's release; set mpi.hpcx.version (defaulting to ${DEFAULT_HPCX_VERSION})`,
        );
      } else if (!hpcxVersionSupported(h.version)) {
        error(
          ['mpi', 'hpcx', 'version'],
          `HPC-X ${h.version}: apptainer-gen names tarballs of HPC-X ${HPCX_MIN_VERSION} and later (X.Y or X.Y.Z); older releases used other file names`,
        );
      }
      if (!h.osLabel) {
        error(
          mpi.hpcx ? ['mpi', 'hpcx'] : ['mpi', 'source'],
          `no HPC-X tarball label is known for ${plan.distro ?? 'this base image'}${plan.release && !plan.releaseKnown ? ' (release not recognised)' : ''}: NVIDIA publishes Ubuntu and RHEL builds; set mpi.hpcx.osLabel (e.g. ubuntu22.04, redhat9) or use such a base image`,
          !mpi.hpcx,
        );
      }
      if (!HPCX_ARCHES.includes(plan.arch)) error(['base', 'arch'], `HPC-X tarballs are named for ${HPCX_ARCHES.join(' and ')}, not ${plan.arch}`);
      if (mpi.hpcx?.cuda && !hpcxCudaChoosable(h.version) && h.cuda !== 'cuda12')
        error(['mpi', 'hpcx', 'cuda'], `HPC-X ${h.version} is published as a cuda12 build only; a choice of CUDA label starts with 2.24`);
      const cudaMajor = plan.gpu === 'nvidia' ? /^(\d+)/.exec(plan.cudaVersion ?? '')?.[1] : undefined;
      if (cudaMajor && `cuda${cudaMajor}` !== h.cuda) {
        error(
          mpi.hpcx?.cuda ? ['mpi', 'hpcx', 'cuda'] : ['gpu'],
          `the HPC-X tarball is the ${h.cuda} build, but the image has CUDA ${plan.cudaVersion}: its CUDA components link that CUDA major's runtime${hpcxCudaChoosable(h.version) ? `; set mpi.hpcx.cuda: cuda${cudaMajor}` : ''}`,
        );
      }
      if (plan.gpu === 'amd') error(['gpu', 'vendor'], 'HPC-X is built for NVIDIA GPUs (CUDA); use Open MPI 5 from source for ROCm');
      const t = mpi.fabric?.transports;
      if (t && (t.length !== 1 || t[0] !== 'ucx')) error(['mpi', 'fabric', 'transports'], "HPC-X's Open MPI runs over its bundled UCX: use transports: [ucx]");
      if (!recipe.sources?.hpcx?.sha256) {
        warn(
          recipe.sources?.hpcx ? ['sources', 'hpcx'] : ['mpi', 'source'],
          'the HPC-X tarball is downloaded without a checksum: give sources.hpcx.sha256 (the digest of the tarball you vetted) so the build verifies it',
        );
      }
      ignoredSettings(ctx);
    },
  },
];
