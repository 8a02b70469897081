// Intel MPI from Intel's oneAPI repository. Environment is exported explicitly (sourcing
// vars.sh from a shell rc file does not reach `apptainer exec`). Under srun, Intel MPI dlopens
// Slurm's libpmi2 through I_MPI_PMI_LIBRARY, which must resolve inside the container. The
// directory layout depends on the version (2021.11 moved libfabric and lib/release).
import { componentPackages, intelMpiLayout } from '../../facts/index.js';
import type { Plan } from '../plan.js';
import { emptyBlock, outputMustMention, prepend, type Block } from './block.js';
import { isTemplated, mpiCompatEnv } from './mpi-common.js';
import { pmi2LibDir } from './slurm-pmi2.js';
import type { RepoSetup } from '../distro.js';

const INTEL_KEY = 'https://apt.repos.intel.com/intel-gpg-keys/GPG-PUB-KEY-INTEL-SW-PRODUCTS.PUB';

export function intelRepos(): Partial<Record<'apt' | 'dnf' | 'zypper', RepoSetup>> {
  return {
    apt: {
      prereqs: componentPackages('repo-tools', 'build').apt ?? [],
      lines: [
        `curl -fsSL -o /usr/share/keyrings/oneapi-archive-keyring.asc ${INTEL_KEY}`,
        'gpg --dearmor -o /usr/share/keyrings/oneapi-archive-keyring.gpg /usr/share/keyrings/oneapi-archive-keyring.asc',
        'rm -f /usr/share/keyrings/oneapi-archive-keyring.asc',
        'echo "deb [signed-by=/usr/share/keyrings/oneapi-archive-keyring.gpg] https://apt.repos.intel.com/oneapi all main" > /etc/apt/sources.list.d/oneapi.list',
      ],
    },
    dnf: {
      prereqs: [],
      lines: [
        "printf '%s\\n' '[oneAPI]' 'name=Intel oneAPI repository' 'baseurl=https://yum.repos.intel.com/oneapi' 'enabled=1' 'gpgcheck=1' 'repo_gpgcheck=1' 'gpgkey=https://yum.repos.intel.com/intel-gpg-keys/GPG-PUB-KEY-INTEL-SW-PRODUCTS.PUB' > /etc/yum.repos.d/oneAPI.repo",
      ],
    },
    zypper: {
      prereqs: [],
      lines: [
        'rpm --import https://yum.repos.intel.com/intel-gpg-keys/GPG-PUB-KEY-INTEL-SW-PRODUCTS.PUB',
        'zypper --non-interactive addrepo https://yum.repos.intel.com/oneapi oneAPI',
      ],
    },
  };
}

export function intelMpiPmiLibrary(plan: Plan): string {
  return `${pmi2LibDir(plan)}/${plan.mpiPmi === 'pmi1' ? 'libpmi.so.0' : 'libpmi2.so.0'}`;
}

/** The version's own directory (the package installs /opt/intel/oneapi/mpi/VERSION). */
export function intelMpiRoot(plan: Plan): string {
  return `${plan.mpiPrefix}/${isTemplated(plan.mpiVersion) ? 'latest' : plan.mpiVersion}`;
}

export function intelmpi(plan: Plan): Block {
  const block = emptyBlock('intelmpi', 'mpi', `Intel MPI ${plan.mpiVersion} (oneAPI repository)`);
  block.after = ['toolchain', 'rdma-core', 'libfabric', 'slurm-pmi2'];
  const v = plan.mpiVersion;
  const pkgs = [`intel-oneapi-mpi-${v}`, `intel-oneapi-mpi-devel-${v}`];
  block.buildPackages = { apt: pkgs, dnf: pkgs, zypper: pkgs };
  block.repo = intelRepos();
  const root = intelMpiRoot(plan);
  const layout = intelMpiLayout(v);
  block.env = [['I_MPI_ROOT', root], prepend('PATH', `${root}/bin`)];
  for (const dir of [...layout.libDirs].reverse()) block.env.push(prepend('LD_LIBRARY_PATH', `${root}/${dir}`));
  block.env.push(['FI_PROVIDER_PATH', `${root}/${layout.providerDir}`], ['I_MPI_FABRICS', 'shm:ofi'], ...mpiCompatEnv(plan));
  if (plan.mpiPmi === 'pmi2' || plan.mpiPmi === 'pmi1') block.env.push(['I_MPI_PMI_LIBRARY', intelMpiPmiLibrary(plan)]);
  block.copies = [plan.mpiPrefix];
  const tests = [`test -x ${root}/bin/mpirun`, `test -d ${root}/${layout.providerDir}`];
  if (!isTemplated(v)) tests.push(...outputMustMention(`${root}/bin/mpirun --version`, 'Intel(R) MPI Library', `Intel MPI ${v}`));
  if (plan.mpiPmi === 'pmi2' || plan.mpiPmi === 'pmi1') tests.push(`test -e "${intelMpiPmiLibrary(plan)}"`);
  block.tests = tests;
  return block;
}
