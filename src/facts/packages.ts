// Package names per component, role (build stage / runtime stage) and distribution release.
// Debian names are checked against each supported Debian release's real package index in CI
// (`npm run check:packages`); every other name carries the document it was taken from.
import { FAMILY_OF, type Distro, type Family, type Release } from './distros.js';

export type Role = 'build' | 'runtime';

/** Components recipes can ask for by alias (`packages.aliases`). */
export type PackageAlias =
  | 'compilers'
  | 'fortran'
  | 'cmake'
  | 'git'
  | 'python3'
  | 'hwloc'
  | 'libevent'
  | 'numa'
  | 'pmix'
  | 'slurm-pmi2'
  | 'verbs'
  | 'ucx'
  | 'libfabric'
  | 'psm2'
  | 'fetch';

/** Every component the generator installs from distribution repositories. */
export type Component =
  | PackageAlias
  | 'slurm-pmi1'
  | 'zlib'
  | 'ssh-client'
  | 'binutils'
  | 'parser-generators'
  | 'autotools'
  | 'gnupg'
  | 'repo-tools'
  | 'distro-openmpi'
  | 'distro-mpich'
  | 'epel-tools'
  | 'autogen-extras'
  | 'meson'
  | 'python-dev';

type Names = Partial<Record<Family, string[]>>;

interface ComponentFacts {
  build: Names;
  runtime: Names;
  /** Names that differ in one release: release id → role → names (replacing the family's). */
  releases?: Record<string, Partial<Record<Role, string[]>>>;
  /** Where the non-Debian names come from (Debian's are checked against the index). */
  sources: Partial<Record<'ubuntu' | 'dnf' | 'zypper', string>>;
}

const UBUNTU = (suite: string, ...names: string[]) => names.map((n) => `https://packages.ubuntu.com/${suite}/${n}`).join(' ');
const FEDORA_SPEC = (pkg: string) => `https://src.fedoraproject.org/rpms/${pkg}/blob/rawhide/f/${pkg}.spec`;
const SUSE_SPEC = (pkg: string) => `https://build.opensuse.org/package/view_file/openSUSE:Factory/${pkg}/${pkg}.spec`;
/** Debian 13 and Ubuntu 24.04 renamed libraries in the 64-bit time_t transition (https://wiki.debian.org/ReleaseGoals/64bit-time). */
const T64 = ['trixie', '24.04'];

function t64(names: string[], releases: string[] = T64): Record<string, Partial<Record<Role, string[]>>> {
  return Object.fromEntries(releases.map((r) => [r, { runtime: names.map((n) => `${n}t64`) }]));
}

export const COMPONENTS: Record<Component, ComponentFacts> = {
  compilers: {
    build: { apt: ['gcc', 'g++', 'make'], dnf: ['gcc', 'gcc-c++', 'make'], zypper: ['gcc', 'gcc-c++', 'make'] },
    runtime: { apt: ['libgomp1'], dnf: ['libgomp'], zypper: ['libgomp1'] },
    sources: { ubuntu: UBUNTU('noble', 'gcc', 'g++', 'libgomp1'), dnf: FEDORA_SPEC('gcc'), zypper: SUSE_SPEC('gcc') },
  },
  fortran: {
    build: { apt: ['gfortran'], dnf: ['gcc-gfortran'], zypper: ['gcc-fortran'] },
    runtime: { apt: ['libgfortran5'], dnf: ['libgfortran'], zypper: ['libgfortran5'] },
    sources: { ubuntu: UBUNTU('noble', 'gfortran', 'libgfortran5'), dnf: FEDORA_SPEC('gcc'), zypper: SUSE_SPEC('gcc') },
  },
  cmake: {
    build: { apt: ['cmake'], dnf: ['cmake'], zypper: ['cmake'] },
    runtime: {},
    sources: { ubuntu: UBUNTU('noble', 'cmake'), dnf: FEDORA_SPEC('cmake'), zypper: SUSE_SPEC('cmake') },
  },
  git: {
    build: { apt: ['git'], dnf: ['git'], zypper: ['git'] },
    runtime: {},
    sources: { ubuntu: UBUNTU('noble', 'git'), dnf: FEDORA_SPEC('git'), zypper: SUSE_SPEC('git') },
  },
  python3: {
    build: { apt: ['python3'], dnf: ['python3'], zypper: ['python3'] },
    runtime: { apt: ['python3'], dnf: ['python3'], zypper: ['python3'] },
    sources: { ubuntu: UBUNTU('noble', 'python3'), dnf: FEDORA_SPEC('python3'), zypper: SUSE_SPEC('python3') },
  },
  fetch: {
    build: {
      apt: ['ca-certificates', 'curl', 'bzip2', 'xz-utils', 'file', 'perl', 'tar', 'gzip'],
      dnf: ['ca-certificates', 'curl', 'bzip2', 'xz', 'file', 'perl', 'tar', 'gzip', 'which', 'diffutils', 'findutils'],
      zypper: ['ca-certificates', 'curl', 'bzip2', 'xz', 'file', 'perl', 'tar', 'gzip', 'which'],
    },
    runtime: {},
    sources: {
      ubuntu: UBUNTU('noble', 'curl', 'xz-utils', 'file'),
      dnf: 'https://rockylinux.org (BaseOS package list: curl, bzip2, xz, file, perl, tar, gzip, which, diffutils, findutils)',
      zypper: SUSE_SPEC('curl') + ' ' + SUSE_SPEC('xz'),
    },
  },
  hwloc: {
    build: { apt: ['libhwloc-dev'], dnf: ['hwloc-devel'], zypper: ['hwloc-devel'] },
    runtime: { apt: ['libhwloc15'], dnf: ['hwloc-libs'], zypper: ['libhwloc15'] },
    sources: { ubuntu: UBUNTU('noble', 'libhwloc-dev', 'libhwloc15'), dnf: FEDORA_SPEC('hwloc'), zypper: SUSE_SPEC('hwloc') },
  },
  libevent: {
    build: { apt: ['libevent-dev'], dnf: ['libevent-devel'], zypper: ['libevent-devel'] },
    runtime: { apt: ['libevent-core-2.1-7', 'libevent-pthreads-2.1-7'], dnf: ['libevent'], zypper: ['libevent-2_1-8'] },
    releases: t64(['libevent-core-2.1-7', 'libevent-pthreads-2.1-7']),
    sources: {
      ubuntu: UBUNTU('noble', 'libevent-core-2.1-7t64', 'libevent-pthreads-2.1-7t64') + ' ' + UBUNTU('jammy', 'libevent-core-2.1-7'),
      dnf: FEDORA_SPEC('libevent'),
      zypper: SUSE_SPEC('libevent'),
    },
  },
  numa: {
    build: { apt: ['libnuma-dev'], dnf: ['numactl-devel'], zypper: ['libnuma-devel'] },
    runtime: { apt: ['libnuma1'], dnf: ['numactl-libs'], zypper: ['libnuma1'] },
    sources: { ubuntu: UBUNTU('noble', 'libnuma-dev', 'libnuma1'), dnf: FEDORA_SPEC('numactl'), zypper: SUSE_SPEC('numactl') },
  },
  zlib: {
    build: { apt: ['zlib1g-dev'], dnf: ['zlib-devel'], zypper: ['zlib-devel'] },
    runtime: { apt: ['zlib1g'], dnf: ['zlib'], zypper: ['libz1'] },
    sources: { ubuntu: UBUNTU('noble', 'zlib1g-dev'), dnf: FEDORA_SPEC('zlib'), zypper: SUSE_SPEC('zlib') },
  },
  'ssh-client': {
    build: { apt: ['openssh-client'], dnf: ['openssh-clients'], zypper: ['openssh-clients'] },
    runtime: { apt: ['openssh-client'], dnf: ['openssh-clients'], zypper: ['openssh-clients'] },
    sources: { ubuntu: UBUNTU('noble', 'openssh-client'), dnf: FEDORA_SPEC('openssh'), zypper: SUSE_SPEC('openssh') },
  },
  binutils: {
    build: { apt: ['binutils-dev'], dnf: ['binutils-devel'], zypper: ['binutils-devel'] },
    runtime: {},
    sources: { ubuntu: UBUNTU('noble', 'binutils-dev'), dnf: FEDORA_SPEC('binutils'), zypper: SUSE_SPEC('binutils') },
  },
  'parser-generators': {
    build: { apt: ['byacc', 'flex'], dnf: ['byacc', 'flex'], zypper: ['byacc', 'flex'] },
    runtime: {},
    sources: { ubuntu: UBUNTU('noble', 'byacc', 'flex'), dnf: FEDORA_SPEC('byacc'), zypper: SUSE_SPEC('byacc') },
  },
  // What a source snapshot's autogen needs besides the autotools: PMIx's autogen.pl runs flex
  // (its keyval lexer) and python3 (generated headers).
  'autogen-extras': {
    build: { apt: ['flex', 'python3'], dnf: ['flex', 'python3'], zypper: ['flex', 'python3'] },
    runtime: {},
    sources: { ubuntu: UBUNTU('noble', 'flex', 'python3'), dnf: FEDORA_SPEC('flex'), zypper: SUSE_SPEC('flex') },
  },
  gnupg: {
    build: { apt: ['gnupg'], dnf: [], zypper: [] },
    runtime: {},
    sources: { ubuntu: UBUNTU('noble', 'gnupg') },
  },
  'repo-tools': {
    // What adding a vendor repository (NVIDIA CUDA, Intel oneAPI) needs before its first update.
    build: { apt: ['ca-certificates', 'curl', 'gnupg'], dnf: ['dnf-plugins-core'], zypper: [] },
    runtime: { apt: ['ca-certificates', 'curl', 'gnupg'], dnf: ['dnf-plugins-core'], zypper: [] },
    sources: { ubuntu: UBUNTU('noble', 'ca-certificates', 'curl', 'gnupg'), dnf: FEDORA_SPEC('dnf-plugins-core') },
  },
  'epel-tools': {
    build: { dnf: ['dnf-plugins-core', 'epel-release'] },
    runtime: { dnf: ['dnf-plugins-core', 'epel-release'] },
    sources: {
      dnf: 'https://docs.fedoraproject.org/en-US/epel/getting-started/ (dnf config-manager --set-enabled crb / powertools; dnf install epel-release)',
    },
  },
  autotools: {
    // `autoreconf -fi` for sources checked out from git (release tarballs ship ./configure).
    build: { apt: ['autoconf', 'automake', 'libtool'], dnf: ['autoconf', 'automake', 'libtool'], zypper: ['autoconf', 'automake', 'libtool'] },
    runtime: {},
    sources: { ubuntu: UBUNTU('noble', 'autoconf', 'automake', 'libtool'), dnf: FEDORA_SPEC('autoconf'), zypper: SUSE_SPEC('autoconf') },
  },
  meson: {
    build: { apt: ['meson', 'ninja-build'], dnf: ['meson', 'ninja-build'], zypper: ['meson', 'ninja'] },
    runtime: {},
    sources: {
      ubuntu: UBUNTU('noble', 'meson', 'ninja-build'),
      dnf: `${FEDORA_SPEC('meson')} ${FEDORA_SPEC('ninja-build')}`,
      zypper: `${SUSE_SPEC('meson')} ${SUSE_SPEC('ninja')}`,
    },
  },
  'python-dev': {
    // A venv (python3 -m venv: Debian splits it into python3-venv) and the headers mpi4py compiles against.
    build: { apt: ['python3', 'python3-dev', 'python3-venv'], dnf: ['python3', 'python3-devel'], zypper: ['python3', 'python3-devel'] },
    runtime: { apt: ['python3'], dnf: ['python3'], zypper: ['python3'] },
    sources: { ubuntu: UBUNTU('noble', 'python3-dev', 'python3-venv'), dnf: FEDORA_SPEC('python3.12'), zypper: SUSE_SPEC('python3') },
  },
  pmix: {
    build: { apt: ['libpmix-dev'], dnf: ['pmix-devel'], zypper: ['pmix-devel'] },
    runtime: { apt: ['libpmix2'], dnf: ['pmix'], zypper: ['libpmix2'] },
    releases: t64(['libpmix2']),
    sources: { ubuntu: UBUNTU('noble', 'libpmix-dev', 'libpmix2t64') + ' ' + UBUNTU('jammy', 'libpmix2'), dnf: FEDORA_SPEC('pmix'), zypper: SUSE_SPEC('pmix') },
  },
  'slurm-pmi2': {
    // SUSE ships pmi2.h and the libpmi2.so link in slurm-devel and the libraries in libpmi0:
    // there is no libpmi0-devel (openSUSE slurm.spec, `%files devel` / `%files -n libpmi0`).
    build: { apt: ['libpmi2-0-dev'], dnf: ['slurm-pmi-devel', 'slurm-devel'], zypper: ['slurm-devel'] },
    runtime: { apt: ['libpmi2-0'], dnf: ['slurm-pmi'], zypper: ['libpmi0'] },
    releases: t64(['libpmi2-0']),
    sources: {
      ubuntu: UBUNTU('noble', 'libpmi2-0-dev', 'libpmi2-0t64') + ' ' + UBUNTU('jammy', 'libpmi2-0'),
      dnf: `${FEDORA_SPEC('slurm')} (EPEL: slurm-pmi, slurm-pmi-devel)`,
      zypper: SUSE_SPEC('slurm'),
    },
  },
  'slurm-pmi1': {
    build: { apt: ['libpmi0-dev'], dnf: ['slurm-pmi-devel', 'slurm-devel'], zypper: ['slurm-devel'] },
    runtime: { apt: ['libpmi0'], dnf: ['slurm-pmi'], zypper: ['libpmi0'] },
    releases: t64(['libpmi0']),
    sources: {
      ubuntu: UBUNTU('noble', 'libpmi0-dev', 'libpmi0t64') + ' ' + UBUNTU('jammy', 'libpmi0'),
      dnf: `${FEDORA_SPEC('slurm')} (EPEL)`,
      zypper: SUSE_SPEC('slurm'),
    },
  },
  verbs: {
    build: { apt: ['libibverbs-dev', 'librdmacm-dev', 'ibverbs-providers'], dnf: ['rdma-core-devel', 'libibverbs', 'librdmacm'], zypper: ['rdma-core-devel'] },
    runtime: { apt: ['libibverbs1', 'librdmacm1', 'ibverbs-providers'], dnf: ['rdma-core', 'libibverbs', 'librdmacm'], zypper: ['libibverbs1', 'librdmacm1'] },
    // Found by the index check: Debian 13 renamed librdmacm1 (64-bit time_t), libibverbs1 kept its name.
    releases: Object.fromEntries(T64.map((r) => [r, { runtime: ['libibverbs1', 'librdmacm1t64', 'ibverbs-providers'] }])),
    sources: { ubuntu: UBUNTU('noble', 'libibverbs-dev', 'ibverbs-providers', 'librdmacm1t64'), dnf: FEDORA_SPEC('rdma-core'), zypper: SUSE_SPEC('rdma-core') },
  },
  ucx: {
    build: { apt: ['libucx-dev'], dnf: ['ucx-devel'], zypper: ['libucp-devel'] },
    runtime: { apt: ['libucx0'], dnf: ['ucx', 'ucx-ib', 'ucx-rdmacm', 'ucx-cma'], zypper: ['libucp0'] },
    sources: { ubuntu: UBUNTU('noble', 'libucx-dev', 'libucx0'), dnf: FEDORA_SPEC('ucx'), zypper: `${SUSE_SPEC('ucx')} (not re-checked here)` },
  },
  libfabric: {
    build: { apt: ['libfabric-dev'], dnf: ['libfabric-devel'], zypper: ['libfabric-devel'] },
    runtime: { apt: ['libfabric1'], dnf: ['libfabric'], zypper: ['libfabric1'] },
    sources: { ubuntu: UBUNTU('noble', 'libfabric-dev', 'libfabric1'), dnf: FEDORA_SPEC('libfabric'), zypper: SUSE_SPEC('libfabric') },
  },
  psm2: {
    build: { apt: ['libpsm2-dev'], dnf: ['libpsm2-devel'], zypper: ['libpsm2-devel'] },
    runtime: { apt: ['libpsm2-2'], dnf: ['libpsm2'], zypper: ['libpsm2-2'] },
    sources: { ubuntu: UBUNTU('noble', 'libpsm2-dev', 'libpsm2-2'), dnf: FEDORA_SPEC('libpsm2'), zypper: SUSE_SPEC('libpsm2') },
  },
  'distro-openmpi': {
    build: { apt: ['libopenmpi-dev', 'openmpi-bin'], dnf: ['openmpi-devel'], zypper: ['openmpi4-devel'] },
    runtime: { apt: ['libopenmpi3', 'openmpi-bin'], dnf: ['openmpi'], zypper: ['openmpi4'] },
    // Debian 13 ships Open MPI 5 (libopenmpi40); Ubuntu 24.04 keeps 4.1 under the t64 name.
    releases: { trixie: { runtime: ['libopenmpi40', 'openmpi-bin'] }, '24.04': { runtime: ['libopenmpi3t64', 'openmpi-bin'] } },
    sources: {
      ubuntu: UBUNTU('noble', 'libopenmpi3t64', 'openmpi-bin') + ' ' + UBUNTU('jammy', 'libopenmpi3'),
      dnf: FEDORA_SPEC('openmpi'),
      zypper: SUSE_SPEC('openmpi4'),
    },
  },
  'distro-mpich': {
    build: { apt: ['libmpich-dev', 'mpich'], dnf: ['mpich-devel'], zypper: ['mpich-devel'] },
    runtime: { apt: ['libmpich12', 'mpich'], dnf: ['mpich'], zypper: ['mpich'] },
    sources: { ubuntu: UBUNTU('noble', 'libmpich12', 'mpich'), dnf: FEDORA_SPEC('mpich'), zypper: SUSE_SPEC('mpich') },
  },
};

export type PerFamily = Partial<Record<Family, string[]>>;

/** The names of a component for one role, per family; the given release's own names replace its family's. */
export function componentPackages(component: Component, role: Role, release?: Release): PerFamily {
  const facts = COMPONENTS[component];
  const out: PerFamily = {};
  for (const [family, names] of Object.entries(facts[role]) as [Family, string[]][]) out[family] = [...names];
  const own = release ? facts.releases?.[release.id]?.[role] : undefined;
  if (release && own) out[FAMILY_OF[release.distro]] = [...own];
  return out;
}

/** Every Debian-family name the generator can emit for a release (what CI checks against the index). */
export function aptNamesFor(release: Release): Map<string, Component[]> {
  const names = new Map<string, Component[]>();
  for (const component of Object.keys(COMPONENTS) as Component[]) {
    for (const role of ['build', 'runtime'] as const) {
      for (const name of componentPackages(component, role, release).apt ?? []) names.set(name, [...(names.get(name) ?? []), component]);
    }
  }
  return names;
}

export function distroFamily(distro: Distro): Family {
  return FAMILY_OF[distro];
}
