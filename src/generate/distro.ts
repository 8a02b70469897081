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

/** One package transaction (plus repository setup) and the cache cleanup, as shell lines. */
export function installLines(family: Family, packages: string[], repo?: RepoSetup, sources: string[] = []): string[] {
  const pkgs = uniq(packages);
  const prereqs = uniq(repo?.prereqs ?? []);
  const repoLines = repo?.lines ?? [];
  if (pkgs.length === 0 && repoLines.length === 0) return [];
  // `sources` adjust the distribution's own repositories (components) before the first update.
  const out: string[] = [];
  switch (family) {
    case 'apt':
      out.push('export DEBIAN_FRONTEND=noninteractive');
      append(out, sources);
      out.push('apt-get update');
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
