// Open MPI from a release tarball. 4.1.x: PMIx and/or Slurm PMI1/PMI2, UCX/OFI/verbs.
// 5.x: PMIx only (runtime is PRRTE, the openib BTL is gone), ROCm-aware via UCX.
import type { Plan } from '../plan.js';
import { configureMakeInstall, fetchSource, mustLink, outputMustMatch, outputMustMention, prefixEnv, type Block } from './block.js';
import { gfortranCompat, isTemplated, mpiCompatEnv, sourceMpiBlock } from './mpi-common.js';
import { pmixLocation } from './pmix.js';
import { pmi2LibDir, pmi2Prefix } from './slurm-pmi2.js';
import { UCX_PREFIX } from './ucx.js';
import { LIBFABRIC_PREFIX } from './libfabric.js';

export function openmpiConfigureOptions(plan: Plan): string[] {
  const v5 = plan.mpiMajor >= 5;
  const pmi = plan.mpiPmi;
  const options = [`--prefix=${plan.mpiPrefix}`];
  if (!v5) options.push('--disable-getpwuid', '--enable-orterun-prefix-by-default');
  if (pmi === 'pmix') {
    const where = pmixLocation(plan);
    options.push(`--with-pmix=${where}`);
    if (!v5 && where !== 'internal') options.push('--with-libevent=external', '--with-hwloc=external');
  }
  if (!v5 && (pmi === 'pmi2' || pmi === 'pmi1')) {
    options.push(`--with-pmi=${pmi2Prefix(plan)}`, `--with-pmi-libdir=${pmi2LibDir(plan)}`);
  }
  if (!v5 && plan.model === 'pmi') {
    // srun, not a containerised mpirun, starts the ranks: keep mpirun from trying to call srun.
    options.push('--with-slurm', '--enable-mca-no-build=plm-slurm');
  }
  if (plan.transports.includes('ucx')) options.push(`--with-ucx=${plan.fabricSource === 'tarball' ? UCX_PREFIX : '/usr'}`);
  if (plan.transports.includes('ofi')) options.push(`--with-ofi=${plan.fabricSource === 'tarball' ? LIBFABRIC_PREFIX : '/usr'}`);
  if (plan.transports.includes('psm2')) options.push('--with-psm2');
  if (!v5) options.push(plan.transports.includes('verbs') && !plan.transports.includes('ucx') ? '--with-verbs' : '--without-verbs');
  if (plan.awareMpi && plan.gpu === 'nvidia') {
    options.push('--with-cuda=/usr/local/cuda');
    // 5.x looks for libcuda at configure time; the stub library stands in for the host's driver
    // (Open MPI 5.0.x docs, "How do I build Open MPI with CUDA-aware support?").
    if (v5) options.push('--with-cuda-libdir=/usr/local/cuda/lib64/stubs');
  }
  if (plan.awareMpi && plan.gpu === 'amd') options.push('--with-rocm=/opt/rocm');
  if (plan.fortran) options.push(...gfortranCompat(plan));
  else options.push('--disable-mpi-fortran');
  if (plan.mpi1Compat && !v5) options.push('--enable-mpi1-compatibility');
  for (const option of plan.configure) options.push(option);
  return options;
}

/** What %test asks ompi_info (and the linker) so the build fails when a requested feature is missing. */
export function openmpiTests(plan: Plan, ompiInfo: string, libmpi: string): string[] {
  const v5 = plan.mpiMajor >= 5;
  const tests: string[] = [];
  const pmi = plan.mpiPmi;
  // 4.x: PMIx is an MCA pmix component (ext3x external, pmix3x bundled); 5.x links libpmix.
  if (pmi === 'pmix')
    tests.push(...(v5 ? mustLink(libmpi, 'libpmix.so', 'PMIx support') : outputMustMatch(ompiInfo, 'MCA pmix: (ext|pmix)[0-9]+x', 'PMIx support')));
  if (pmi === 'pmi2') tests.push(...outputMustMatch(ompiInfo, 'MCA pmix: s2', 'Slurm PMI2 support'));
  if (pmi === 'pmi1') tests.push(...outputMustMatch(ompiInfo, 'MCA pmix: s1', 'Slurm PMI1 support'));
  if (plan.transports.includes('ucx')) tests.push(...outputMustMatch(ompiInfo, 'MCA pml: ucx', 'UCX (pml ucx)'));
  if (plan.transports.includes('ofi')) tests.push(...outputMustMatch(ompiInfo, 'MCA mtl: ofi', 'libfabric (mtl ofi)'));
  if (plan.transports.includes('psm2')) tests.push(...outputMustMatch(ompiInfo, 'MCA mtl: psm2', 'PSM2 (mtl psm2)'));
  if (!v5 && plan.transports.includes('verbs') && !plan.transports.includes('ucx'))
    tests.push(...outputMustMatch(ompiInfo, 'MCA btl: openib', 'verbs (btl openib)'));
  if (plan.awareMpi && plan.gpu === 'nvidia') {
    tests.push(...outputMustMatch(`${ompiInfo} --parsable --all`, 'mpi_built_with_cuda_support:value:true', 'CUDA-aware MPI'));
  }
  if (plan.awareMpi && plan.gpu === 'amd') tests.push(...outputMustMatch(ompiInfo, 'MCA accelerator: rocm', 'ROCm-aware MPI'));
  return tests;
}

export function openmpi(plan: Plan): Block {
  const block = sourceMpiBlock(
    'openmpi',
    `Open MPI ${plan.mpiVersion} (release tarball)`,
    ['toolchain', 'rdma-core', 'psm2', 'cuda', 'rocm', 'gdrcopy', 'ucx', 'libfabric', 'pmix', 'slurm-pmi2'],
    plan,
  );
  const v = plan.mpiVersion;
  // A templated version ({{ OMPI_VERSION }}) is only known at build time: the shell derives the series.
  const series = isTemplated(v) ? '${OMPI_SERIES}' : v.replace(/\.[^.]*$/, '');
  block.build = [
    ...(isTemplated(v) ? [`OMPI_VERSION="${v}"`, 'OMPI_SERIES="${OMPI_VERSION%.*}"'] : []),
    ...fetchSource(block, plan, 'openmpi', `https://download.open-mpi.org/release/open-mpi/v${series}/openmpi-${v}.tar.bz2`, './autogen.pl'),
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
  tests.push(...openmpiTests(plan, `${p}/bin/ompi_info`, `${p}/lib/libmpi.so`));
  block.tests = tests;
  return block;
}
