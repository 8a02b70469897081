// A small vocabulary over ShellCommand so rules read like the advice they give:
// `isAptGetInstall(cmd) && !hasAnyFlag(cmd, 'y', 'yes', 'assume-yes')`.
//
// Flags are matched on static words only; a `$VAR` argument is never taken for an option.
import type { ShellCommand, ShellWord } from '../types.js';

/** Static text of every argument (dynamic words keep their raw text). */
export function argTexts(cmd: ShellCommand): string[] {
  return cmd.args.map((a) => a.text);
}

/** True when the command's basename is one of `names` (`/usr/bin/pip3` is `pip3`). */
export function isCommand(cmd: ShellCommand, ...names: string[]): boolean {
  return names.includes(cmd.baseName);
}

/** Arguments before a `--` end-of-options marker. */
function optionArea(args: ShellWord[]): ShellWord[] {
  const end = args.findIndex((a) => a.isStatic && a.text === '--');
  return end < 0 ? args : args.slice(0, end);
}

/**
 * True when any of `flags` is given. A one-letter flag matches short options, also combined
 * (`y` matches `-y`, `-qy`); a longer name matches `--name` and `--name=value`; a flag written
 * with its dashes (`-qq`) matches exactly.
 */
export function hasAnyFlag(cmd: ShellCommand | ShellWord[], ...flags: string[]): boolean {
  const args = optionArea(Array.isArray(cmd) ? cmd : cmd.args);
  for (const arg of args) {
    const word = arg.text;
    if (!word.startsWith('-') || word === '-') continue;
    for (const flag of flags) {
      if (flag.startsWith('-')) {
        if (word === flag || word.startsWith(`${flag}=`)) return true;
      } else if (flag.length === 1) {
        if (/^-[A-Za-z0-9]+$/.test(word) && word.includes(flag)) return true;
      } else if (word === `--${flag}` || word.startsWith(`--${flag}=`)) {
        return true;
      }
    }
  }
  return false;
}

/** True when the exact option (`--no-install-recommends`, or `--opt=value`) is present. */
export function hasOption(cmd: ShellCommand | ShellWord[], option: string): boolean {
  return hasAnyFlag(cmd, option.startsWith('-') ? option : `--${option}`);
}

/** The value of an option given as `--opt=value`, `--opt value`, or `-o value`. */
export function optionValue(cmd: ShellCommand | ShellWord[], option: string): string | undefined {
  const args = optionArea(Array.isArray(cmd) ? cmd : cmd.args);
  for (let i = 0; i < args.length; i++) {
    const word = args[i].text;
    if (word.startsWith(`${option}=`)) return word.slice(option.length + 1);
    if (word === option) return args[i + 1]?.text;
  }
  return undefined;
}

/**
 * Positional (non-option) arguments from index `start`, skipping the values of options listed in
 * `withValue` (`-o Dpkg::Options=x`). Everything after `--` is positional.
 */
export function positionalArgs(args: ShellWord[], withValue: readonly string[] = [], start = 0): ShellWord[] {
  const result: ShellWord[] = [];
  for (let i = start; i < args.length; i++) {
    const word = args[i].text;
    if (word === '--' && args[i].isStatic) {
      result.push(...args.slice(i + 1));
      break;
    }
    if (word.startsWith('-') && word !== '-' && args[i].isStatic) {
      if (withValue.includes(word)) i++;
      continue;
    }
    result.push(args[i]);
  }
  return result;
}

/** Positional arguments of a command (its targets), e.g. the paths of `rm -rf a b`. */
export function targets(cmd: ShellCommand, withValue: readonly string[] = []): ShellWord[] {
  return positionalArgs(cmd.args, withValue);
}

// ---- package managers ------------------------------------------------------------------

/** The distribution's own package managers: they install OS packages, versioned by the distribution. */
export const OS_PACKAGE_MANAGERS = ['apt', 'yum', 'dnf', 'zypper', 'apk'] as const;
export type OsPackageManager = (typeof OS_PACKAGE_MANAGERS)[number];

/** Every package manager the shell layer recognises (`packageManager(cmd)`). */
export type PackageManager = OsPackageManager | 'conda' | 'pip' | 'spack' | 'npm' | 'gem' | 'cargo' | 'go' | 'R';

export function isOsPackageManager(manager: string | undefined): manager is OsPackageManager {
  return (OS_PACKAGE_MANAGERS as readonly (string | undefined)[]).includes(manager);
}

interface ManagerSpec {
  manager: PackageManager;
  names: string[];
  install: string[];
  /** Options that take the next word as their value. */
  withValue: string[];
}

/** Options of yum and dnf that take the next word as their value (dnf has a few more). */
const YUM_OPTIONS_WITH_VALUE = [
  '-c',
  '-d',
  '-e',
  '-x',
  '-R',
  '--config',
  '--installroot',
  '--releasever',
  '--enablerepo',
  '--disablerepo',
  '--setopt',
  '--exclude',
  '--downloaddir',
  '--repo',
  '--repoid',
];
const RPM_INSTALLS = ['install', 'groupinstall', 'localinstall', 'reinstall'];

const MANAGERS: ManagerSpec[] = [
  {
    manager: 'apt',
    names: ['apt-get', 'apt', 'aptitude'],
    install: ['install'],
    withValue: ['-o', '-c', '-t', '-a', '--option', '--config-file', '--target-release', '--default-release', '--host-architecture'],
  },
  {
    manager: 'yum',
    names: ['yum'],
    install: RPM_INSTALLS,
    withValue: YUM_OPTIONS_WITH_VALUE,
  },
  {
    manager: 'dnf',
    names: ['dnf', 'microdnf', 'tdnf'],
    install: RPM_INSTALLS,
    withValue: [...YUM_OPTIONS_WITH_VALUE, '--destdir', '--forcearch'],
  },
  {
    manager: 'zypper',
    names: ['zypper'],
    install: ['install', 'in'],
    withValue: ['-r', '-t', '-R', '-D', '--repo', '--type', '--from', '--root', '--reposd-path', '--cache-dir'],
  },
  { manager: 'apk', names: ['apk'], install: ['add'], withValue: ['-X', '-t', '-p', '--repository', '--virtual', '--root', '--arch', '--repositories-file'] },
  {
    manager: 'conda',
    names: ['conda', 'mamba', 'micromamba'],
    install: ['install', 'create'],
    withValue: ['-n', '-p', '-c', '--name', '--prefix', '--channel', '--file', '--repodata-fn', '--solver'],
  },
  {
    manager: 'pip',
    names: [],
    install: ['install'],
    withValue: [
      '-r',
      '-c',
      '-e',
      '-i',
      '-t',
      '-f',
      '-C',
      '--requirement',
      '--constraint',
      '--editable',
      '--index-url',
      '--extra-index-url',
      '--target',
      '--prefix',
      '--root',
      '--find-links',
      '--trusted-host',
      '--src',
      '--upgrade-strategy',
      '--python-version',
      '--platform',
      '--implementation',
      '--abi',
      '--only-binary',
      '--no-binary',
      '--progress-bar',
      '--cache-dir',
      '--log',
      '--proxy',
      '--retries',
      '--timeout',
      '--exists-action',
      '--cert',
      '--client-cert',
      '--global-option',
      '--install-option',
      '--config-settings',
      '--python',
    ],
  },
  { manager: 'spack', names: ['spack'], install: ['install'], withValue: ['-j', '--jobs', '-C', '--config-scope', '-e', '--env'] },
  { manager: 'npm', names: ['npm', 'yarn', 'pnpm'], install: ['install', 'i', 'add'], withValue: ['--prefix', '--registry'] },
  { manager: 'gem', names: ['gem'], install: ['install'], withValue: ['-v', '--version', '-i', '--install-dir', '-n', '--bindir', '-s', '--source'] },
  {
    manager: 'cargo',
    names: ['cargo'],
    install: ['install'],
    withValue: ['--version', '--git', '--branch', '--tag', '--rev', '--path', '--root', '--target', '-j', '--jobs', '--features', '-F'],
  },
  { manager: 'go', names: ['go'], install: ['install', 'get'], withValue: [] },
];

const PIP_SPEC = MANAGERS.find((m) => m.manager === 'pip')!;
const MANAGER_BY_NAME = new Map<string, ManagerSpec>();
for (const spec of MANAGERS) for (const name of spec.names) if (!MANAGER_BY_NAME.has(name)) MANAGER_BY_NAME.set(name, spec);

// Many rules ask the same questions about every command (which manager, which subcommand); the
// answers are kept per command object. Commands are never changed after the shell layer made them
// (cached analyses are shared between lints), so an answer stays right for as long as its command
// lives, and an unchanged section keeps its answers from one lint to the next.
const pipArgsOf = new WeakMap<ShellCommand, ShellWord[] | null>();
const managers = new WeakMap<ShellCommand, { spec: ManagerSpec; args: ShellWord[] } | null>();
const subcommands = new WeakMap<ShellCommand, ShellWord | null>();

/** The arguments pip sees: for `pip3 install x` the whole list, for `python3 -m pip install x` the part after `pip`. */
export function pipArgs(cmd: ShellCommand): ShellWord[] | undefined {
  let args = pipArgsOf.get(cmd);
  if (args === undefined) pipArgsOf.set(cmd, (args = findPipArgs(cmd) ?? null));
  return args ?? undefined;
}

function findPipArgs(cmd: ShellCommand): ShellWord[] | undefined {
  if (/^pip[\d.]*$/.test(cmd.baseName)) return cmd.args;
  if (/^python[\d.]*$/.test(cmd.baseName) && cmd.args[0]?.text === '-m' && /^pip[\d.]*$/.test(cmd.args[1]?.text ?? '')) return cmd.args.slice(2);
  if (cmd.baseName === 'uv' && cmd.args[0]?.text === 'pip') return cmd.args.slice(1);
  return undefined;
}

/** Which package manager the command is, with the arguments it interprets. */
function managerOf(cmd: ShellCommand): { spec: ManagerSpec; args: ShellWord[] } | undefined {
  let found = managers.get(cmd);
  if (found === undefined) managers.set(cmd, (found = findManager(cmd) ?? null));
  return found ?? undefined;
}

function findManager(cmd: ShellCommand): { spec: ManagerSpec; args: ShellWord[] } | undefined {
  const pip = pipArgs(cmd);
  if (pip) return { spec: PIP_SPEC, args: pip };
  const spec = MANAGER_BY_NAME.get(cmd.baseName);
  return spec ? { spec, args: cmd.args } : undefined;
}

/** The words after the subcommand that are not options (`curl wget` in `apt-get install -y curl wget`). */
export function operandsOf(cmd: ShellCommand): ShellWord[] {
  const found = managerOf(cmd);
  return found ? positionalArgs(found.args, found.spec.withValue).slice(1) : [];
}

/** The subcommand word (`install` in `apt-get -q install x`), skipping options and their values. */
export function subcommand(cmd: ShellCommand): ShellWord | undefined {
  let sub = subcommands.get(cmd);
  if (sub === undefined) subcommands.set(cmd, (sub = findSubcommand(cmd) ?? null));
  return sub ?? undefined;
}

function findSubcommand(cmd: ShellCommand): ShellWord | undefined {
  const found = managerOf(cmd);
  const args = found ? found.args : cmd.args;
  return positionalArgs(args, found?.spec.withValue ?? [])[0];
}

export function packageManager(cmd: ShellCommand): PackageManager | undefined {
  if (cmd.baseName === 'Rscript' || cmd.baseName === 'R') return 'R';
  return managerOf(cmd)?.spec.manager;
}

function isManager(cmd: ShellCommand, manager: PackageManager, subs: string[]): boolean {
  const found = managerOf(cmd);
  if (!found || found.spec.manager !== manager) return false;
  // `apt-get install -v` prints the version (`-v` is `--version`; `-h` is `--help`) and installs nothing.
  if (manager === 'apt' && cmd.baseName !== 'aptitude' && printsInfoOnly(cmd)) return false;
  if (subs.length === 0) return true;
  const sub = subcommand(cmd);
  return !!sub && sub.isStatic && subs.includes(sub.text);
}

const infoOnly = new WeakMap<ShellCommand, boolean>();

function printsInfoOnly(cmd: ShellCommand): boolean {
  let only = infoOnly.get(cmd);
  if (only === undefined) infoOnly.set(cmd, (only = hasAnyFlag(cmd, 'v', 'h', 'version', 'help')));
  return only;
}

/** `apt-get`, `apt` or `aptitude`, optionally with one of the subcommands. */
export function isAptGet(cmd: ShellCommand, ...subcommands: string[]): boolean {
  return isManager(cmd, 'apt', subcommands);
}
/** `apt-get install` (also `apt install`, `aptitude install`). */
export function isAptGetInstall(cmd: ShellCommand): boolean {
  return isManager(cmd, 'apt', ['install']);
}
export function isYum(cmd: ShellCommand, ...subcommands: string[]): boolean {
  return isManager(cmd, 'yum', subcommands);
}
export function isYumInstall(cmd: ShellCommand): boolean {
  return isManager(cmd, 'yum', MANAGERS[1].install);
}
/** `dnf`, `microdnf` or `tdnf`. */
export function isDnf(cmd: ShellCommand, ...subcommands: string[]): boolean {
  return isManager(cmd, 'dnf', subcommands);
}
export function isDnfInstall(cmd: ShellCommand): boolean {
  return isManager(cmd, 'dnf', MANAGERS[2].install);
}
export function isZypper(cmd: ShellCommand, ...subcommands: string[]): boolean {
  return isManager(cmd, 'zypper', subcommands);
}
export function isZypperInstall(cmd: ShellCommand): boolean {
  return isManager(cmd, 'zypper', ['install', 'in']);
}
export function isApk(cmd: ShellCommand, ...subcommands: string[]): boolean {
  return isManager(cmd, 'apk', subcommands);
}
export function isApkAdd(cmd: ShellCommand): boolean {
  return isManager(cmd, 'apk', ['add']);
}
/** `conda`, `mamba`, `micromamba`. */
export function isConda(cmd: ShellCommand, ...subcommands: string[]): boolean {
  return isManager(cmd, 'conda', subcommands);
}
/** `conda install` or `conda create`. */
export function isCondaInstall(cmd: ShellCommand): boolean {
  return isManager(cmd, 'conda', ['install', 'create']);
}
/** `pip install`, `pip3.11 install`, `python3 -m pip install`, `uv pip install`. */
export function isPipInstall(cmd: ShellCommand): boolean {
  return isManager(cmd, 'pip', ['install']);
}
export function isSpackInstall(cmd: ShellCommand): boolean {
  return isManager(cmd, 'spack', ['install']);
}

/** Any OS package install: apt, yum, dnf, zypper, apk. */
export function isOsPackageInstall(cmd: ShellCommand): boolean {
  return isAptGetInstall(cmd) || isYumInstall(cmd) || isDnfInstall(cmd) || isZypperInstall(cmd) || isApkAdd(cmd);
}

/**
 * Packages a known installer installs: the positional arguments after its install subcommand
 * (`apt-get install -y a b=1.0` → `a`, `b=1.0`). Empty for other commands.
 */
export function packagesInstalled(cmd: ShellCommand): ShellWord[] {
  const found = managerOf(cmd);
  if (!found) return [];
  const positional = positionalArgs(found.args, found.spec.withValue);
  const sub = positional[0];
  if (!sub || !found.spec.install.includes(sub.text)) return [];
  if (found.spec.manager === 'npm' && cmd.baseName === 'yarn' && sub.text !== 'add') return [];
  return positional.slice(1);
}

// ---- downloads, pipes, builds ----------------------------------------------------------

export function isCurlOrWget(cmd: ShellCommand): boolean {
  return cmd.baseName === 'curl' || cmd.baseName === 'wget';
}

/** URL-looking arguments (`https://…`, `ftp://…`), including `--url=…` values. */
export function urlArgs(cmd: ShellCommand): ShellWord[] {
  return cmd.args.filter((a) => /(^|=)(https?|ftp|git|ssh):\/\//.test(a.text) || /^git@/.test(a.text));
}

/** True when the command's output is piped, directly or further down the pipeline, into one of `names`. */
export function pipesInto(cmd: ShellCommand, ...names: string[]): boolean {
  const p = cmd.pipeline;
  if (!p) return false;
  return p.commands.some((other) => (other.pipeline?.index ?? -1) > p.index && names.includes(other.baseName));
}

/** A `configure` script (`./configure`, `../src/configure`). */
export function isConfigureScript(cmd: ShellCommand): boolean {
  return cmd.baseName === 'configure';
}

/** True when a configure flag is present exactly (`--with-pmix`, `--with-pmix=/usr`), not a longer one. */
export function hasConfigureFlag(cmd: ShellCommand, flag: string): boolean {
  return cmd.args.some((a) => a.text === flag || a.text.startsWith(`${flag}=`));
}

/** The value of a configure flag (`--prefix=/opt/x` → `/opt/x`; bare `--with-x` → ''). */
export function configureFlagValue(cmd: ShellCommand, flag: string): string | undefined {
  for (const a of cmd.args) {
    if (a.text === flag) return '';
    if (a.text.startsWith(`${flag}=`)) return a.text.slice(flag.length + 1);
  }
  return undefined;
}

export function isCMake(cmd: ShellCommand): boolean {
  return cmd.baseName === 'cmake';
}

export function isMake(cmd: ShellCommand): boolean {
  return cmd.baseName === 'make' || cmd.baseName === 'gmake' || cmd.baseName === 'ninja';
}

export function isGitClone(cmd: ShellCommand): boolean {
  return cmd.baseName === 'git' && positionalArgs(cmd.args, ['-c', '-C', '--git-dir', '--work-tree'])[0]?.text === 'clone';
}

// ---- files ----------------------------------------------------------------------------

export function isRm(cmd: ShellCommand): boolean {
  return cmd.baseName === 'rm';
}

/** `rm -r`, `rm -rf`, `rm --recursive`. */
export function isRecursiveRm(cmd: ShellCommand): boolean {
  return isRm(cmd) && hasAnyFlag(cmd, 'r', 'R', 'recursive');
}

/** Paths a removal command removes (positional arguments of `rm`). */
export function rmTargets(cmd: ShellCommand): ShellWord[] {
  return isRm(cmd) ? targets(cmd) : [];
}

export function isChmod(cmd: ShellCommand): boolean {
  return cmd.baseName === 'chmod';
}

export function isChown(cmd: ShellCommand): boolean {
  return cmd.baseName === 'chown' || cmd.baseName === 'chgrp';
}

/** Files a command writes through `>`/`>>` redirections. */
export function redirectTargets(cmd: ShellCommand): string[] {
  return cmd.redirects.filter((r) => /^\d?>>?\|?$|^&>>?$/.test(r.op)).map((r) => r.target);
}
