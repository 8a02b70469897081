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
  if (mpichBefore41(plan) && pmi === 'pmi2') {
    // MPICH < 4.1 keeps its default: the simple PMI (PMI-1 wire protocol) with Hydra. Slurm's pmi2
    // plugin answers PMI-1 too (src/plugins/mpi/pmi2/agent.c, _handle_pmi1_init), so the same image
    // runs under `srun --mpi=pmi2` and under a host Hydra mpirun: the end-to-end suite launches
    // one MPICH 4.0.2 build both ways. (MPICH < 4.1 has no --with-pmilib; --with-pmi=pmi2 would
    // need --with-pm=none and lose Hydra.)
  } else if (mpichBefore41(plan) && pmi === 'pmi1') {
    // Slurm's libpmi, linked: MPICH's default Hydra requires the simple PMI, so no process manager.
    // (MPICH 4.0.2 configure.ac, "The PM chosen ... requires the PMI implementation".)
    options.push('--with-pmi=slurm', '--with-pm=none', `--with-slurm-include=${pmi2IncludeDir(plan)}`, `--with-slurm-lib=${pmi2LibDir(plan)}`);
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

/** MPICH before 4.1: no `--with-pmilib`; under pmi2 it keeps its default simple PMI. */
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
  // MPICH < 4.1 under pmi2 keeps the simple PMI inside libmpi, with Hydra: nothing to link.
  if (mpichBefore41(plan) && plan.mpiPmi === 'pmi2') tests.push(`test -x ${p}/bin/mpiexec.hydra`);
  else tests.push(...mpichFamilyPmiTests(plan, libmpi, `${p}/bin/mpiexec.hydra`));
  if (plan.device === 'ch4:ucx') tests.push(...mustLink(libmpi, 'libucp.so', 'UCX'));
  if (plan.device === 'ch4:ofi') tests.push(...mustLink(libmpi, 'libfabric.so', 'libfabric'));
  if (plan.awareMpi && plan.gpu === 'nvidia') tests.push(...mustLink(libmpi, 'libcudart.so', 'CUDA-aware MPICH'));
  if (plan.awareMpi && plan.gpu === 'amd') tests.push(...mustLink(libmpi, 'libamdhip64.so', 'HIP-aware MPICH'));
  block.tests = tests;
  return block;
}
