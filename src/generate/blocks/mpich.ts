// MPICH from a release tarball: ch4:ofi or ch4:ucx, with Hydra's built-in PMI (the default: a
// host Hydra mpirun can start it), Slurm's PMI2/PMI-1 library, or PMIx.
import type { Plan } from '../plan.js';
import { configureMakeInstall, fetchSource, mustLink, outputMustMatch, outputMustMention, prefixEnv, type Block } from './block.js';
import { gfortranCompat, isTemplated, mpiCompatEnv, sourceMpiBlock, versionBefore } from './mpi-common.js';
import { pmixLocation } from './pmix.js';
import { pmi2IncludeDir, pmi2LibDir } from './slurm-pmi2.js';
import { UCX_PREFIX } from './ucx.js';
import { LIBFABRIC_PREFIX } from './libfabric.js';

export function mpichConfigureOptions(plan: Plan): string[] {
  const options = [`--prefix=${plan.mpiPrefix}`, `--with-device=${plan.device}`];
  if (plan.device === 'ch4:ucx') options.push(`--with-ucx=${plan.fabricSource === 'tarball' ? UCX_PREFIX : '/usr'}`);
  if (plan.device === 'ch4:ofi') options.push(`--with-libfabric=${plan.fabricSource === 'tarball' ? LIBFABRIC_PREFIX : '/usr'}`);
  const pmi = plan.mpiPmi;
  if (mpichBefore41(plan) && (pmi === 'pmi2' || pmi === 'pmi1')) {
    // MPICH < 4.1 has no --with-pmilib, and its default process manager (Hydra) requires the
    // simple PMI: configure stops with any other. Without a process manager, `pmi2` builds MPICH's
    // own PMI2 client (Slurm's pmi2 plugin serves that wire protocol), `slurm` links Slurm's libpmi.
    // (MPICH 4.0.2 configure.ac, "The PM chosen ... requires the PMI implementation".)
    if (pmi === 'pmi2') options.push('--with-pmi=pmi2', '--with-pm=none');
    else options.push('--with-pmi=slurm', '--with-pm=none', `--with-slurm-include=${pmi2IncludeDir(plan)}`, `--with-slurm-lib=${pmi2LibDir(plan)}`);
  } else if (pmi === 'pmi2') {
    options.push('--with-pmi=pmi2', '--with-pmilib=slurm', `--with-slurm-include=${pmi2IncludeDir(plan)}`, `--with-slurm-lib=${pmi2LibDir(plan)}`);
  } else if (pmi === 'pmi1') {
    options.push('--with-pmi=slurm', '--with-pmilib=slurm', `--with-slurm-include=${pmi2IncludeDir(plan)}`, `--with-slurm-lib=${pmi2LibDir(plan)}`);
  } else if (pmi === 'pmix') {
    options.push('--with-pmi=pmix', `--with-pmix=${pmixLocation(plan)}`);
  }
  if (plan.awareMpi && plan.gpu === 'nvidia') options.push('--with-cuda=/usr/local/cuda');
  if (plan.awareMpi && plan.gpu === 'amd') options.push('--with-hip=/opt/rocm');
  if (plan.fortran) options.push(...gfortranCompat(plan));
  else options.push('--disable-fortran');
  for (const option of plan.configure) options.push(option);
  return options;
}

/** MPICH before 4.1: no `--with-pmilib`, PMI2 from MPICH's own client. */
export function mpichBefore41(plan: Plan): boolean {
  return plan.impl === 'mpich' && versionBefore(plan.mpiVersion, '4.1');
}

/** Which library the MPI links for its PMI: the truth of "built with Slurm's PMI / PMIx". */
export function mpichFamilyPmiTests(plan: Plan, libmpi: string, hydra: string): string[] {
  switch (plan.mpiPmi) {
    case 'pmi2':
      return mustLink(libmpi, 'libpmi2.so', "Slurm's PMI2 library");
    case 'pmi1':
      return mustLink(libmpi, 'libpmi.so', "Slurm's PMI-1 library");
    case 'pmix':
      return mustLink(libmpi, 'libpmix.so', 'PMIx');
    default:
      return [`test -x ${hydra}`];
  }
}

export function mpich(plan: Plan): Block {
  const block = sourceMpiBlock(
    'mpich',
    `MPICH ${plan.mpiVersion}, ${plan.device} (release tarball)`,
    ['toolchain', 'rdma-core', 'psm2', 'cuda', 'rocm', 'gdrcopy', 'ucx', 'libfabric', 'pmix', 'slurm-pmi2'],
    plan,
  );
  const v = plan.mpiVersion;
  block.build = [
    ...fetchSource(block, plan, 'mpich', `https://www.mpich.org/static/downloads/${v}/mpich-${v}.tar.gz`, './autogen.sh'),
    ...configureMakeInstall(mpichConfigureOptions(plan)),
  ];
  const p = plan.mpiPrefix;
  block.env = [...prefixEnv('MPICH_DIR', p), ...mpiCompatEnv(plan)];
  block.copies = [p];
  const tests = [`test -x ${p}/bin/mpichversion`];
  if (!isTemplated(plan.mpiVersion)) tests.push(...outputMustMention(`${p}/bin/mpichversion`, plan.mpiVersion, `MPICH ${plan.mpiVersion}`));
  tests.push(...outputMustMatch(`${p}/bin/mpichversion`, `Device:[[:space:]]*${plan.device}`, `MPICH device ${plan.device}`));
  const libmpi = `${p}/lib/libmpi.so`;
  if (mpichBefore41(plan) && plan.mpiPmi === 'pmi2') {
    // MPICH's own PMI2 client is inside libmpi: no library to find; MPICH reports how it was built.
    tests.push(...outputMustMention(`${p}/bin/mpichversion`, '--with-pmi=pmi2', "MPICH's PMI2 client"));
  } else tests.push(...mpichFamilyPmiTests(plan, libmpi, `${p}/bin/mpiexec.hydra`));
  if (plan.device === 'ch4:ucx') tests.push(...mustLink(libmpi, 'libucp.so', 'UCX'));
  if (plan.device === 'ch4:ofi') tests.push(...mustLink(libmpi, 'libfabric.so', 'libfabric'));
  if (plan.awareMpi && plan.gpu === 'nvidia') tests.push(...mustLink(libmpi, 'libcudart.so', 'CUDA-aware MPICH'));
  if (plan.awareMpi && plan.gpu === 'amd') tests.push(...mustLink(libmpi, 'libamdhip64.so', 'HIP-aware MPICH'));
  block.tests = tests;
  return block;
}
