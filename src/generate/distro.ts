// Distribution detection, package-manager transactions and portable package aliases.
import type { Distro, Family, PackageAlias, PackageSelection } from './types.js';

export const FAMILY_OF: Record<Distro, Family> = {
  debian: 'apt',
  ubuntu: 'apt',
  el8: 'dnf',
  el9: 'dnf',
  el10: 'dnf',
  fedora: 'dnf',
  opensuse: 'zypper',
};

/** Guesses the distribution from an image reference such as `nvidia/cuda:12.4.1-devel-rockylinux9`. */
export function distroFromImage(image: string): Distro | undefined {
  const ref = image.toLowerCase();
  if (/ubuntu/.test(ref)) return 'ubuntu';
  if (/debian|bookworm|bullseye|trixie/.test(ref)) return 'debian';
  if (/fedora/.test(ref)) return 'fedora';
  if (/suse|sles|leap|tumbleweed/.test(ref)) return 'opensuse';
  const el = /(rocky|alma|centos|rhel|ubi|oraclelinux|oracle)\D*?(\d+)/.exec(ref);
  if (el) {
    const major = Number(el[2]);
    if (major === 8) return 'el8';
    if (major === 9) return 'el9';
    if (major === 10) return 'el10';
  }
  return undefined;
}

export interface AliasPackages {
  build: Partial<Record<Family, string[]>>;
  runtime: Partial<Record<Family, string[]>>;
}

// Names follow generator-guidance §2.9 (Debian 12 names checked with apt-cache).
export const ALIASES: Record<PackageAlias, AliasPackages> = {
  compilers: {
    build: { apt: ['gcc', 'g++', 'make'], dnf: ['gcc', 'gcc-c++', 'make'], zypper: ['gcc', 'gcc-c++', 'make'] },
    runtime: { apt: ['libgomp1'], dnf: ['libgomp'], zypper: ['libgomp1'] },
  },
  fortran: {
    build: { apt: ['gfortran'], dnf: ['gcc-gfortran'], zypper: ['gcc-fortran'] },
    runtime: { apt: ['libgfortran5'], dnf: ['libgfortran'], zypper: ['libgfortran5'] },
  },
  cmake: { build: { apt: ['cmake'], dnf: ['cmake'], zypper: ['cmake'] }, runtime: {} },
  git: { build: { apt: ['git'], dnf: ['git'], zypper: ['git'] }, runtime: {} },
  python3: {
    build: { apt: ['python3'], dnf: ['python3'], zypper: ['python3'] },
    runtime: { apt: ['python3'], dnf: ['python3'], zypper: ['python3'] },
  },
  fetch: {
    build: {
      apt: ['ca-certificates', 'curl', 'bzip2', 'file', 'perl', 'tar', 'gzip'],
      dnf: ['ca-certificates', 'curl', 'bzip2', 'file', 'perl', 'tar', 'gzip', 'which', 'diffutils', 'findutils'],
      zypper: ['ca-certificates', 'curl', 'bzip2', 'file', 'perl', 'tar', 'gzip', 'which'],
    },
    runtime: {},
  },
  hwloc: {
    build: { apt: ['libhwloc-dev'], dnf: ['hwloc-devel'], zypper: ['hwloc-devel'] },
    runtime: { apt: ['libhwloc15'], dnf: ['hwloc-libs'], zypper: ['libhwloc15'] },
  },
  libevent: {
    build: { apt: ['libevent-dev'], dnf: ['libevent-devel'], zypper: ['libevent-devel'] },
    runtime: {
      apt: ['libevent-core-2.1-7', 'libevent-pthreads-2.1-7'],
      dnf: ['libevent'],
      zypper: ['libevent-2_1-8'],
    },
  },
  numa: {
    build: { apt: ['libnuma-dev'], dnf: ['numactl-devel'], zypper: ['libnuma-devel'] },
    runtime: { apt: ['libnuma1'], dnf: ['numactl-libs'], zypper: ['libnuma1'] },
  },
  pmix: {
    build: { apt: ['libpmix-dev'], dnf: ['pmix-devel'], zypper: ['pmix-devel'] },
    runtime: { apt: ['libpmix2'], dnf: ['pmix'], zypper: ['libpmix2'] },
  },
  'slurm-pmi2': {
    build: { apt: ['libpmi2-0-dev'], dnf: ['slurm-pmi-devel'], zypper: ['libpmi0-devel'] },
    runtime: { apt: ['libpmi2-0'], dnf: ['slurm-pmi'], zypper: ['libpmi0'] },
  },
  verbs: {
    build: {
      apt: ['libibverbs-dev', 'librdmacm-dev', 'ibverbs-providers'],
      dnf: ['rdma-core-devel', 'libibverbs', 'librdmacm'],
      zypper: ['rdma-core-devel'],
    },
    runtime: {
      apt: ['libibverbs1', 'librdmacm1', 'ibverbs-providers'],
      dnf: ['rdma-core', 'libibverbs', 'librdmacm'],
      zypper: ['libibverbs1', 'librdmacm1'],
    },
  },
  ucx: {
    build: { apt: ['libucx-dev'], dnf: ['ucx-devel'], zypper: ['libucp-devel'] },
    runtime: { apt: ['libucx0'], dnf: ['ucx', 'ucx-ib', 'ucx-rdmacm', 'ucx-cma'], zypper: ['libucp0'] },
  },
  libfabric: {
    build: { apt: ['libfabric-dev'], dnf: ['libfabric-devel'], zypper: ['libfabric-devel'] },
    runtime: { apt: ['libfabric1'], dnf: ['libfabric'], zypper: ['libfabric1'] },
  },
  psm2: {
    build: { apt: ['libpsm2-dev'], dnf: ['libpsm2-devel'], zypper: ['libpsm2-devel'] },
    runtime: { apt: ['libpsm2-2'], dnf: ['libpsm2'], zypper: ['libpsm2-2'] },
  },
};

/** Packages of a selection (aliases first, then raw names for the family), in order, without duplicates. */
export function selectionPackages(sel: PackageSelection | undefined, family: Family, which: 'build' | 'runtime'): string[] {
  if (!sel) return [];
  const out: string[] = [];
  for (const alias of sel.aliases ?? []) out.push(...(ALIASES[alias][which][family] ?? []));
  for (const name of sel[family] ?? []) out.push(name);
  return out;
}

export function aliasPackages(alias: PackageAlias, family: Family, which: 'build' | 'runtime'): string[] {
  return ALIASES[alias][which][family] ?? [];
}

/** Keeps the first occurrence of each package. */
export function uniq(list: string[]): string[] {
  return [...new Set(list)];
}

/** Appends without spreading (package lists can be long). */
function append(target: string[], items: string[]): void {
  for (const item of items) target.push(item);
}

function continued(command: string, packages: string[]): string[] {
  if (packages.length === 0) return [];
  return [`${command} \\`, ...packages.map((p, i) => `    ${p}${i === packages.length - 1 ? '' : ' \\'}`)];
}

export interface RepoSetup {
  /** Packages needed before the repository commands can run (keys, curl, dnf plugins). */
  prereqs: string[];
  /** Shell lines that add repositories. */
  lines: string[];
}

/** One package transaction (plus repository setup) and the cache cleanup, as shell lines. */
export function installLines(family: Family, packages: string[], repo?: RepoSetup): string[] {
  const pkgs = uniq(packages);
  const prereqs = uniq(repo?.prereqs ?? []);
  const repoLines = repo?.lines ?? [];
  if (pkgs.length === 0 && repoLines.length === 0) return [];
  const out: string[] = [];
  switch (family) {
    case 'apt':
      out.push('export DEBIAN_FRONTEND=noninteractive', 'apt-get update');
      if (prereqs.length) append(out, continued('apt-get install -y --no-install-recommends', prereqs));
      if (repoLines.length) {
        append(out, repoLines);
        out.push('apt-get update');
      }
      append(out, continued('apt-get install -y --no-install-recommends', pkgs));
      out.push('apt-get clean', 'rm -rf /var/lib/apt/lists/*');
      break;
    case 'dnf':
      if (prereqs.length) append(out, continued('dnf install -y', prereqs));
      append(out, repoLines);
      append(out, continued('dnf install -y', pkgs));
      out.push('dnf clean all', 'rm -rf /var/cache/dnf');
      break;
    case 'zypper':
      out.push('zypper --non-interactive refresh');
      if (prereqs.length) append(out, continued('zypper --non-interactive install --no-recommends', prereqs));
      if (repoLines.length) {
        append(out, repoLines);
        out.push('zypper --non-interactive --gpg-auto-import-keys refresh');
      }
      append(out, continued('zypper --non-interactive install --no-recommends', pkgs));
      out.push('zypper --non-interactive clean --all');
      break;
  }
  return out;
}

/** EPEL + CRB/PowerTools, which EL needs for Slurm's PMI and several -devel packages. */
export function epelSetup(distro: Distro): RepoSetup {
  if (distro === 'fedora') return { prereqs: [], lines: [] };
  const crb = distro === 'el8' ? 'powertools' : 'crb';
  return {
    prereqs: ['dnf-plugins-core', 'epel-release'],
    lines: [`dnf config-manager --set-enabled ${crb}`],
  };
}
