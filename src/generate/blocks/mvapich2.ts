// MVAPICH2 from a release tarball. Under srun it must be built with `--with-pm=slurm --with-pmi=pmi2`.
import type { Plan } from '../plan.js';
import { configureMakeInstall, fetchSource, outputMustMention, prefixEnv, type Block } from './block.js';
import { gfortranCompat, isTemplated, mpiCompatEnv, packagesOf, sourceMpiBlock } from './mpi-common.js';
import { mpichFamilyPmiTests } from './mpich.js';
import { pmi2IncludeDir, pmi2LibDir } from './slurm-pmi2.js';

export function mvapich2ConfigureOptions(plan: Plan): string[] {
  const options = [`--prefix=${plan.mpiPrefix}`, '--disable-mcast', '--with-device=ch3:mrail', '--with-rdma=gen2'];
  // Only for srun: --with-pm=slurm drops mpirun_rsh/Hydra, which a hybrid host mpirun needs.
  if (plan.mpiPmi === 'pmi2') {
    options.push('--with-pm=slurm', '--with-pmi=pmi2', `--with-slurm-include=${pmi2IncludeDir(plan)}`, `--with-slurm-lib=${pmi2LibDir(plan)}`);
  }
  if (plan.awareMpi && plan.gpu === 'nvidia') options.push('--enable-cuda', '--with-cuda=/usr/local/cuda');
  if (plan.fortran) options.push(...gfortranCompat(plan));
  else options.push('--disable-fortran');
  for (const option of plan.configure) options.push(option);
  return options;
}

export function mvapich2(plan: Plan): Block {
  const block = sourceMpiBlock('mvapich2', `MVAPICH2 ${plan.mpiVersion} (release tarball)`, ['toolchain', 'rdma-core', 'cuda', 'gdrcopy', 'slurm-pmi2'], plan);
  const extra = packagesOf(plan, 'build', 'parser-generators');
  const build = block.buildPackages;
  block.buildPackages = {
    apt: [...(build.apt ?? []), ...(extra.apt ?? [])],
    dnf: [...(build.dnf ?? []), ...(extra.dnf ?? [])],
    zypper: [...(build.zypper ?? []), ...(extra.zypper ?? [])],
  };
  block.build = [
    ...fetchSource(block, plan, 'mvapich2', `https://mvapich.cse.ohio-state.edu/download/mvapich/mv2/mvapich2-${plan.mpiVersion}.tar.gz`, './autogen.sh'),
    ...configureMakeInstall(mvapich2ConfigureOptions(plan)),
  ];
  const p = plan.mpiPrefix;
  block.env = [...prefixEnv('MVAPICH2_DIR', p), ...mpiCompatEnv(plan)];
  block.copies = [p];
  const tests = [`test -x ${p}/bin/mpiname`];
  if (!isTemplated(plan.mpiVersion)) tests.push(...outputMustMention(`${p}/bin/mpiname -a`, plan.mpiVersion, `MVAPICH2 ${plan.mpiVersion}`));
  tests.push(...mpichFamilyPmiTests(plan, `${p}/lib/libmpi.so`, `${p}/bin/mpirun_rsh`));
  block.tests = tests;
  return block;
}
