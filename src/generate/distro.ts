// Package-manager transactions and package selections. The facts themselves (distributions,
// releases, package names per component and role) live in src/facts, shared with the linter.
import { COMPONENTS, componentPackages, type Release } from '../facts/index.js';
import type { Distro, Family, PackageAlias, PackageSelection } from './types.js';

export { FAMILY_OF, distroFromImage } from '../facts/index.js';

/** Packages of a selection (aliases first, then raw names for the family), in order, without duplicates. */
export function selectionPackages(sel: PackageSelection | undefined, family: Family, which: 'build' | 'runtime', release?: Release): string[] {
  if (!sel) return [];
  const out: string[] = [];
  for (const alias of sel.aliases ?? []) out.push(...(componentPackages(alias, which, release)[family] ?? []));
  for (const name of sel[family] ?? []) out.push(name);
  return out;
}

export function aliasPackages(alias: PackageAlias, family: Family, which: 'build' | 'runtime', release?: Release): string[] {
  return componentPackages(alias, which, release)[family] ?? [];
}

/** True for the aliases recipes may name (every alias is a component of the facts table). */
export function isAlias(name: string): name is PackageAlias {
  return name in COMPONENTS;
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

/** How each package manager runs one non-interactive transaction. */
interface Transaction {
  /** Lines before the first install; `sources` (apt only: Ubuntu components) run before the first update. */
  start(sources: string[]): string[];
  /** The install command, packages follow. */
  install: string;
  /** Re-reads the package lists once repositories were added (dnf reads them at install time). */
  refreshAfterRepos: string[];
  /** Drops the package cache, which would otherwise stay in the image. */
  clean: string[];
}

const TRANSACTIONS: Record<Family, Transaction> = {
  apt: {
    start: (sources) => ['export DEBIAN_FRONTEND=noninteractive', ...sources, 'apt-get update'],
    install: 'apt-get install -y --no-install-recommends',
    refreshAfterRepos: ['apt-get update'],
    clean: ['apt-get clean', 'rm -rf /var/lib/apt/lists/*'],
  },
  dnf: {
    start: () => [],
    install: 'dnf install -y',
    refreshAfterRepos: [],
    clean: ['dnf clean all', 'rm -rf /var/cache/dnf'],
  },
  zypper: {
    start: () => ['zypper --non-interactive refresh'],
    install: 'zypper --non-interactive install --no-recommends',
    refreshAfterRepos: ['zypper --non-interactive --gpg-auto-import-keys refresh'],
    clean: ['zypper --non-interactive clean --all'],
  },
};

/** One package transaction (plus repository setup) and the cache cleanup, as shell lines. */
export function installLines(family: Family, packages: string[], repo?: RepoSetup, sources: string[] = []): string[] {
  const pkgs = uniq(packages);
  const prereqs = uniq(repo?.prereqs ?? []);
  const repoLines = repo?.lines ?? [];
  if (pkgs.length === 0 && repoLines.length === 0) return [];
  const transaction = TRANSACTIONS[family];
  const out = transaction.start(sources);
  if (prereqs.length) append(out, continued(transaction.install, prereqs));
  if (repoLines.length) {
    append(out, repoLines);
    append(out, transaction.refreshAfterRepos);
  }
  append(out, continued(transaction.install, pkgs));
  append(out, transaction.clean);
  return out;
}

/**
 * Lines that enable missing components of an Ubuntu archive (a debootstrap base has only `main`;
 * MPICH, libfabric, PMIx and UCX are in `universe`). Docker's ubuntu images list them already.
 */
export function componentLines(release: Release | undefined, bootstrap: string): string[] {
  const extra = (release?.components ?? []).filter((c) => c !== 'main');
  if (bootstrap !== 'debootstrap' || extra.length === 0) return [];
  return extra.map((c) => `sed -i -E '/^deb /{/ ${c}( |$)/!s/$/ ${c}/}' /etc/apt/sources.list`);
}

/** EPEL + CRB/PowerTools, which EL needs for Slurm's PMI and several -devel packages. */
export function epelSetup(distro: Distro): RepoSetup {
  if (distro === 'fedora') return { prereqs: [], lines: [] };
  const crb = distro === 'el8' ? 'powertools' : 'crb';
  return {
    prereqs: componentPackages('epel-tools', 'build').dnf ?? [],
    lines: [`dnf config-manager --set-enabled ${crb}`],
  };
}
