// Open MPI from a release tarball. 4.1.x: PMIx and/or Slurm PMI1/PMI2, UCX/OFI/verbs.
// 5.x: PMIx only (runtime is PRRTE, the openib BTL is gone), ROCm-aware via UCX.
import type { Plan } from '../plan.js';
import { configureMakeInstall, fetchTarball, outputMustMention, prefixEnv, type Block } from './block.js';
import { GFORTRAN_COMPAT, isTemplated, mpiCompatEnv, sourceMpiBlock } from './mpi-common.js';
import { pmixLocation } from './pmix.js';
import { pmi2LibDir, pmi2Prefix } from './slurm-pmi2.js';
import { UCX_PREFIX } from './ucx.js';
import { LIBFABRIC_PREFIX } from './libfabric.js';

export function openmpiConfigureOptions(plan: Plan): string[] {
  const v5 = plan.mpiMajor >= 5;
  const options = [`--prefix=${plan.mpiPrefix}`];
  if (!v5) options.push('--disable-getpwuid', '--enable-orterun-prefix-by-default');
  if (plan.pmi === 'pmix') {
    const where = pmixLocation(plan);
    options.push(`--with-pmix=${where}`);
    if (!v5 && where !== 'internal') options.push('--with-libevent=external', '--with-hwloc=external');
  }
  if (!v5 && (plan.pmi === 'pmi2' || plan.pmi === 'pmi1')) {
    options.push(`--with-pmi=${pmi2Prefix(plan)}`, `--with-pmi-libdir=${pmi2LibDir(plan, true)}`);
  }
  if (!v5 && plan.model === 'pmi') {
    // srun, not a containerised mpirun, starts the ranks: keep mpirun from trying to call srun.
    options.push('--with-slurm', '--enable-mca-no-build=plm-slurm');
  }
  if (plan.transports.includes('ucx')) options.push(`--with-ucx=${plan.fabricSource === 'tarball' ? UCX_PREFIX : '/usr'}`);
  if (plan.transports.includes('ofi')) options.push(`--with-ofi=${plan.fabricSource === 'tarball' ? LIBFABRIC_PREFIX : '/usr'}`);
  if (plan.transports.includes('psm2')) options.push('--with-psm2');
  if (!v5) options.push(plan.transports.includes('verbs') && !plan.transports.includes('ucx') ? '--with-verbs' : '--without-verbs');
  if (plan.awareMpi && plan.gpu === 'nvidia') options.push('--with-cuda=/usr/local/cuda');
  if (plan.awareMpi && plan.gpu === 'amd') options.push('--with-rocm=/opt/rocm');
  if (plan.fortran) options.push(...GFORTRAN_COMPAT);
  else options.push('--disable-mpi-fortran');
  if (plan.mpi1Compat && !v5) options.push('--enable-mpi1-compatibility');
  for (const option of plan.configure) options.push(option);
  return options;
}

export function openmpi(plan: Plan): Block {
  const block = sourceMpiBlock('openmpi', `Open MPI ${plan.mpiVersion} (release tarball)`, ['toolchain', 'rdma-core', 'psm2', 'cuda', 'rocm', 'gdrcopy', 'ucx', 'libfabric', 'pmix', 'slurm-pmi2'], plan);
  block.build = [
    `OMPI_VERSION="${plan.mpiVersion}"`,
    'OMPI_SERIES="${OMPI_VERSION%.*}"',
    ...fetchTarball(
      'https://download.open-mpi.org/release/open-mpi/v${OMPI_SERIES}/openmpi-${OMPI_VERSION}.tar.bz2',
      'openmpi.tar.bz2',
      'openmpi-"${OMPI_VERSION}"',
    ),
    ...configureMakeInstall(openmpiConfigureOptions(plan)),
  ];
  if (plan.model === 'pmi') {
    // No ssh in the image: a stray in-container mpirun must not try to use it.
    block.build.push(`echo 'plm_rsh_agent = false' >> ${plan.mpiPrefix}/etc/openmpi-mca-params.conf`);
  }
  const p = plan.mpiPrefix;
  block.env = [...prefixEnv('OMPI_DIR', p), ...mpiCompatEnv(plan)];
  block.copies = [p];
  const tests = [`test -x ${p}/bin/ompi_info`];
  if (!isTemplated(plan.mpiVersion)) tests.push(...outputMustMention(`${p}/bin/ompi_info`, `Open MPI: ${plan.mpiVersion}`, `Open MPI ${plan.mpiVersion}`));
  if (plan.pmi === 'pmix') tests.push(...outputMustMention(`${p}/bin/ompi_info`, 'with-pmix', 'PMIx support'));
  if (plan.pmi === 'pmi2') tests.push(...outputMustMention(`${p}/bin/ompi_info`, 'MCA pmix: s2', 'Slurm PMI2 support'));
  if (plan.pmi === 'pmi1') tests.push(...outputMustMention(`${p}/bin/ompi_info`, 'MCA pmix: s1', 'Slurm PMI1 support'));
  block.tests = tests;
  return block;
}
