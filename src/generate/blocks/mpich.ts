// MPICH from a release tarball: ch4:ofi or ch4:ucx, with Slurm PMI2, PMIx or Hydra's own PMI.
import type { Plan } from '../plan.js';
import { configureMakeInstall, fetchTarball, outputMustMention, prefixEnv, type Block } from './block.js';
import { GFORTRAN_COMPAT, isTemplated, mpiCompatEnv, sourceMpiBlock } from './mpi-common.js';
import { pmixLocation } from './pmix.js';
import { pmi2IncludeDir, pmi2LibDir } from './slurm-pmi2.js';
import { UCX_PREFIX } from './ucx.js';
import { LIBFABRIC_PREFIX } from './libfabric.js';

export function mpichConfigureOptions(plan: Plan): string[] {
  const options = [`--prefix=${plan.mpiPrefix}`, `--with-device=${plan.device}`];
  if (plan.device === 'ch4:ucx') options.push(`--with-ucx=${plan.fabricSource === 'tarball' ? UCX_PREFIX : '/usr'}`);
  if (plan.device === 'ch4:ofi') options.push(`--with-libfabric=${plan.fabricSource === 'tarball' ? LIBFABRIC_PREFIX : '/usr'}`);
  if (plan.pmi === 'pmi2') {
    options.push('--with-pmi=pmi2', '--with-pmilib=slurm', `--with-slurm-include=${pmi2IncludeDir(plan)}`, `--with-slurm-lib=${pmi2LibDir(plan, true)}`);
  } else if (plan.pmi === 'pmi1') {
    options.push('--with-pmi=slurm', '--with-pmilib=slurm', `--with-slurm-include=${pmi2IncludeDir(plan)}`, `--with-slurm-lib=${pmi2LibDir(plan, true)}`);
  } else if (plan.pmi === 'pmix') {
    options.push('--with-pmi=pmix', `--with-pmix=${pmixLocation(plan)}`);
  }
  if (plan.awareMpi && plan.gpu === 'nvidia') options.push('--with-cuda=/usr/local/cuda');
  if (plan.awareMpi && plan.gpu === 'amd') options.push('--with-hip=/opt/rocm');
  if (plan.fortran) options.push(...GFORTRAN_COMPAT);
  else options.push('--disable-fortran');
  for (const option of plan.configure) options.push(option);
  return options;
}

export function mpich(plan: Plan): Block {
  const block = sourceMpiBlock('mpich', `MPICH ${plan.mpiVersion}, ${plan.device} (release tarball)`, ['toolchain', 'rdma-core', 'psm2', 'cuda', 'rocm', 'gdrcopy', 'ucx', 'libfabric', 'pmix', 'slurm-pmi2'], plan);
  block.build = [
    `MPICH_VERSION="${plan.mpiVersion}"`,
    ...fetchTarball(
      'https://www.mpich.org/static/downloads/${MPICH_VERSION}/mpich-${MPICH_VERSION}.tar.gz',
      'mpich.tar.gz',
      'mpich-"${MPICH_VERSION}"',
    ),
    ...configureMakeInstall(mpichConfigureOptions(plan)),
  ];
  const p = plan.mpiPrefix;
  block.env = [...prefixEnv('MPICH_DIR', p), ...mpiCompatEnv(plan)];
  block.copies = [p];
  const tests = [`test -x ${p}/bin/mpichversion`];
  if (!isTemplated(plan.mpiVersion)) tests.push(...outputMustMention(`${p}/bin/mpichversion`, plan.mpiVersion, `MPICH ${plan.mpiVersion}`));
  if (plan.pmi !== 'none') {
    const word = plan.pmi === 'pmi1' ? 'with-pmi=slurm' : `with-pmi=${plan.pmi}`;
    tests.push(...outputMustMention(`${p}/bin/mpichversion`, word, `${plan.pmi.toUpperCase()} support`));
  }
  block.tests = tests;
  return block;
}
