// Extra package repositories a recipe asks for (`packages.repos`), emitted the way each family does it:
//   EL: `epel-release` (EPEL) and `dnf config-manager --set-enabled crb` (EL9/10) / `powertools` (EL8)
//       (https://docs.fedoraproject.org/en-US/epel/getting-started/);
//   Debian/Ubuntu: archive components added to the distribution's own sources, in one-line
//       `sources.list` files and in deb822 `.sources` files (Debian 12+ and Ubuntu 24.04 images use
//       deb822: https://manpages.debian.org/bookworm/apt/sources.list.5.en.html);
//   vendor repositories: apt with `signed-by` a key under /etc/apt/keyrings (ASCII-armored keys kept
//       as `.asc`, binary ones as `.gpg`, as apt reads them: sources.list(5)), dnf with a `.repo` file
//       and `gpgcheck=1`, zypper with `rpm --import` and `zypper addrepo`.
import { componentPackages } from '../facts/index.js';
import type { RepoSetup } from './distro.js';
import { shQuote } from './shell.js';
import type { Plan } from './plan.js';
import type { Family, RepoSelection } from './types.js';

/** Lines that add archive components to the distribution's own apt sources (both formats). */
export function componentSourceLines(repos: RepoSelection | undefined, family: Family | undefined): string[] {
  const components = repos?.components ?? [];
  if (family !== 'apt' || components.length === 0) return [];
  const expressions = components.flatMap((c) => [`-e '/^deb /{/ ${c}( |$)/!s/$/ ${c}/}'`, `-e '/^Components:/{/ ${c}( |$)/!s/$/ ${c}/}'`]);
  return [
    'for list in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources; do',
    '  [ -f "$list" ] || continue',
    `  sed -i -E ${expressions.join(' ')} "$list"`,
    'done',
  ];
}

function customRepoLines(repo: NonNullable<RepoSelection['custom']>[number], family: Family): string[] {
  switch (family) {
    case 'apt': {
      const download = `/etc/apt/keyrings/${repo.name}.key`;
      return [
        'mkdir -p /etc/apt/keyrings',
        `curl -fsSL --retry 3 -o ${download} ${shQuote(repo.key)}`,
        `if grep -q 'BEGIN PGP PUBLIC KEY BLOCK' ${download}; then key=/etc/apt/keyrings/${repo.name}.asc; else key=/etc/apt/keyrings/${repo.name}.gpg; fi`,
        `mv ${download} "$key"`,
        `echo "deb [signed-by=$key] ${repo.url} ${repo.suite ?? ''} ${(repo.components ?? ['main']).join(' ')}" > /etc/apt/sources.list.d/${repo.name}.list`,
      ];
    }
    case 'dnf':
      // One line per repository: setups are merged line by line without duplicates.
      return [
        `printf '%s\\n' ${[`[${repo.name}]`, `name=${repo.name}`, `baseurl=${repo.url}`, 'enabled=1', 'gpgcheck=1', `gpgkey=${repo.key}`].map(shQuote).join(' ')} > /etc/yum.repos.d/${repo.name}.repo`,
      ];
    case 'zypper':
      return [`rpm --import ${shQuote(repo.key)}`, `zypper --non-interactive addrepo --refresh ${shQuote(repo.url)} ${repo.name}`];
  }
}

/** The repository setup of a stage's `repos` (prerequisite packages and commands), or undefined. */
export function recipeRepoSetup(plan: Plan, repos: RepoSelection | undefined): RepoSetup | undefined {
  const family = plan.family;
  if (!repos || !family) return undefined;
  const prereqs: string[] = [];
  const lines: string[] = [];
  const el = plan.distro === 'el8' || plan.distro === 'el9' || plan.distro === 'el10';
  if (family === 'dnf' && el && repos.epel) prereqs.push('epel-release');
  if (family === 'dnf' && el && repos.crb) {
    prereqs.push('dnf-plugins-core');
    lines.push(`dnf config-manager --set-enabled ${plan.distro === 'el8' ? 'powertools' : 'crb'}`);
  }
  const custom = repos.custom ?? [];
  if (custom.length) prereqs.push(...(componentPackages('repo-tools', 'build')[family] ?? []));
  for (const repo of custom) lines.push(...customRepoLines(repo, family));
  return prereqs.length || lines.length ? { prereqs, lines } : undefined;
}

/** Two repository setups as one (either may be missing); every line is idempotent or unique to its repository. */
export function mergeSetups(a: RepoSetup | undefined, b: RepoSetup | undefined): RepoSetup | undefined {
  if (!a) return b;
  if (!b) return a;
  return { prereqs: [...new Set([...a.prereqs, ...b.prereqs])], lines: [...new Set([...a.lines, ...b.lines])] };
}
