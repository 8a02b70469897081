// Shell vocabulary shared by the MPI and GPU rules (and the job-script check): package installs,
// configure runs inside an MPI source tree, launcher names, image labels. Everything works on
// the shell layer's ShellCommand objects, never on raw text.
import type { Range, Stage, ParsedFile, LabelEntry } from '../../parse/model.js';
import type { ShellCommand, ShellScript, ShellWord } from '../types.js';
import { isOsPackageManager, packageManager, packagesInstalled, positionalArgs, type OsPackageManager } from '../shell/commands.js';
import { isBuildSection, isEnvironmentSection, isRunSection, isTestSection } from '../shell/sections.js';
import { shellDetails } from '../shell/index.js';
import { PerCommands, PerLint } from './lint-memo.js';
import { finalStage } from '../../parse/live-stages.js';

// ---- Commands --------------------------------------------------------------------------------

/**
 * A command as the rules look at it. The shell layer already sees through `sudo`, `env`, `exec`,
 * `nice`, `timeout`...; this view exists so `sh ./configure` can be presented as `configure`.
 */
export interface CommandView {
  name: string;
  baseName: string;
  nameRange: Range;
  args: ShellWord[];
  command: ShellCommand;
}

export function baseNameOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

export function viewOf(command: ShellCommand): CommandView {
  return { name: command.name, baseName: command.baseName, nameRange: command.nameRange, args: command.args, command };
}

// ---- Flags ---------------------------------------------------------------------------------------

/** `--with-pmi=pmi2` → { name: '--with-pmi', value: 'pmi2' }. */
export function splitFlag(text: string): { name: string; value?: string } {
  const eq = text.indexOf('=');
  return eq === -1 ? { name: text } : { name: text.slice(0, eq), value: text.slice(eq + 1) };
}

/** True when the flag's value means "disabled" (`--with-x=no`). */
export function isNegativeValue(value: string | undefined): boolean {
  return value !== undefined && /^(no|none|false|0|disabled?)$/i.test(value);
}

// ---- Sections --------------------------------------------------------------------------------

export { isBuildSection, isTestSection, isRunSection, isEnvironmentSection };

// ---- Package installs ------------------------------------------------------------------------

/** What installed a package: a package manager (dnf counted as yum) or a package-file tool. */
export type InstallTool = Exclude<OsPackageManager, 'dnf'> | 'rpm' | 'dpkg' | 'conda' | 'pip' | 'spack';

export interface InstalledPackage {
  /** Package name without version/arch/channel decorations, lowercased. */
  name: string;
  /** Version constraint written with the name (`=4.1.6`, `@4.1.6`, `>=4`), if any. */
  version?: string;
  word: ShellWord;
}

export interface PackageInstall {
  manager: InstallTool;
  packages: InstalledPackage[];
  command: ShellCommand;
}

/**
 * Parses package installs: everything the shell layer's `packagesInstalled` knows (apt, yum/dnf,
 * zypper, apk, conda, pip, spack), plus `dnf module install`, `rpm -i`/`dpkg -i` of package files.
 */
export function packageInstall(command: ShellCommand): PackageInstall | undefined {
  // Asked by many rules about every command: answered once per command (see shell/commands.ts).
  let install = installs.get(command);
  if (install === undefined) installs.set(command, (install = findPackageInstall(command) ?? null));
  return install ?? undefined;
}

const installs = new WeakMap<ShellCommand, PackageInstall | null>();

function findPackageInstall(command: ShellCommand): PackageInstall | undefined {
  const fileInstall = packageFileInstall(command);
  if (fileInstall) return fileInstall;
  const shellManager = packageManager(command);
  if (!shellManager) return undefined;
  const manager: InstallTool | undefined =
    shellManager === 'dnf' ? 'yum' : (['apt', 'yum', 'zypper', 'apk', 'conda', 'pip', 'spack'] as const).find((m) => m === shellManager);
  if (!manager) return undefined;
  let words = packagesInstalled(command);
  if (words.length === 0 && manager === 'yum') words = dnfModuleInstall(command);
  if (words.length === 0) return undefined;
  const packages: InstalledPackage[] = [];
  for (const word of words) {
    if (manager === 'spack' && word.text.startsWith('^')) continue; // dependency constraint of the previous spec
    const parsed = parsePackageSpec(manager, word.text);
    if (parsed) packages.push({ ...parsed, word });
  }
  return { manager, packages, command };
}

/** `dnf module install nvidia-driver:latest-dkms` → the module words. */
function dnfModuleInstall(command: ShellCommand): ShellWord[] {
  const positional = positionalArgs(command.args, [
    '-c',
    '-d',
    '-e',
    '-x',
    '-R',
    '--setopt',
    '--enablerepo',
    '--disablerepo',
    '--repo',
    '--installroot',
    '--releasever',
  ]);
  if (positional[0]?.text === 'module' && positional[1]?.text === 'install') return positional.slice(2);
  return [];
}

/** `rpm -ivh x.rpm`, `dpkg -i x.deb`: the package names come from the file names. */
function packageFileInstall(command: ShellCommand): PackageInstall | undefined {
  const base = command.baseName;
  if (base !== 'rpm' && base !== 'dpkg') return undefined;
  const installs = command.args.some((a) =>
    base === 'dpkg' ? a.text === '-i' || a.text === '--install' : /^-[a-zA-Z]*[iU]/.test(a.text) || a.text === '--install' || a.text === '--upgrade',
  );
  if (!installs) return undefined;
  const packages: InstalledPackage[] = [];
  for (const word of positionalArgs(command.args, ['--root', '--dbpath', '--prefix', '--relocate', '--admindir', '--instdir'])) {
    const name = packageNameFromFile(word.text);
    if (name) packages.push({ name, word });
  }
  return { manager: base, packages, command };
}

function parsePackageSpec(manager: InstallTool, text: string): { name: string; version?: string } | undefined {
  if (text === '' || text.startsWith('$')) return undefined;
  let spec = text;
  if ((manager === 'apt' || manager === 'yum' || manager === 'zypper' || manager === 'apk') && /\.(rpm|deb|apk)$/.test(spec)) {
    // URLs and local files (`yum install https://.../x.rpm`, `apt install ./x.deb`).
    const name = packageNameFromFile(spec);
    return name ? { name } : undefined;
  }
  switch (manager) {
    case 'apt': {
      const m = /^([^=:/]+)(?::[a-z0-9-]+)?(?:([=/])(.*))?$/i.exec(spec);
      if (!m) return undefined;
      return { name: m[1].toLowerCase(), version: m[2] === '=' ? m[3] : undefined };
    }
    case 'yum':
    case 'zypper': {
      // dnf module streams (`nodejs:18/common`); zypper `name=ver`, `name>=ver`.
      spec = spec.replace(/:.*$/, '');
      const m = /^([^<>=]+)(?:([<>=]+)(.*))?$/.exec(spec);
      if (!m) return undefined;
      return { name: m[1].toLowerCase(), version: m[3] };
    }
    case 'apk': {
      const m = /^([^<>=~@]+)(?:[<>=~]+(.*))?/.exec(spec);
      if (!m) return undefined;
      return { name: m[1].toLowerCase(), version: m[2] };
    }
    case 'conda':
    case 'pip': {
      if (manager === 'conda') spec = spec.replace(/^[^:]*::/, '');
      const m = /^([A-Za-z0-9_.\-[\],]+?)\s*(?:([<>=!~]=?|=)\s*(.*))?$/.exec(spec);
      if (!m) return undefined;
      return { name: m[1].replace(/\[.*\]$/, '').toLowerCase(), version: m[3] || undefined };
    }
    case 'spack': {
      const m = /^([A-Za-z0-9_-]+)(.*)$/.exec(spec);
      if (!m) return undefined;
      const at = /@([^\s+~^%]+)/.exec(m[2]);
      return { name: m[1].toLowerCase(), version: at?.[1] };
    }
    default:
      return undefined;
  }
}

/** `cuda-drivers_535.1-1_amd64.deb` → `cuda-drivers`; `libcuda1-535-1.x86_64.rpm` → `libcuda1`. */
export function packageNameFromFile(path: string): string | undefined {
  const file = baseNameOf(path);
  let m = /^([a-z0-9][a-z0-9+.-]*)_[^_]+(?:_[^_]+)?\.deb$/i.exec(file);
  if (m) return m[1].toLowerCase();
  // RPM: name-version-release.arch.rpm; the version starts at the first `-<digit>`.
  m = /^(.+?)-\d[^-]*-[^-]+\.[a-z0-9_]+\.rpm$/i.exec(file);
  if (m) return m[1].toLowerCase();
  m = /^(.+?)\.(deb|rpm|apk)$/i.exec(file);
  return m ? m[1].toLowerCase() : undefined;
}

/** Every package install command of the build scripts (`%post`, `%appinstall`). */
export function* packageInstalls(
  scripts: ShellScript[],
  filter: (s: ShellScript) => boolean = (s) => isBuildSection(s.section),
): Generator<{ script: ShellScript; install: PackageInstall }> {
  for (const script of scripts) {
    if (!filter(script)) continue;
    for (const command of script.commands) {
      const install = packageInstall(command);
      if (install) yield { script, install };
    }
  }
}

/** `packageInstalls(ctx.scripts)` as a list, made once per lint (several MPI rules read it). */
export function buildPackageInstalls(scripts: readonly ShellScript[]): readonly { script: ShellScript; install: PackageInstall }[] {
  return buildPackageInstallsOf.of(scripts);
}

const buildPackageInstallsOf = new PerLint((scripts) =>
  scripts.filter((script) => isBuildSection(script.section)).flatMap((script) => installsIn.of(script.commands).map((install) => ({ script, install }))),
);

/** The package installs among one script's commands (kept per commands array, see PerCommands). */
const installsIn = new PerCommands((commands) => commands.flatMap((command) => packageInstall(command) ?? []));

/** Tools that install OS packages (the ones that can install a kernel driver or distro MPI). */
export function installsOsPackages(tool: InstallTool): boolean {
  return isOsPackageManager(tool) || tool === 'rpm' || tool === 'dpkg';
}

// ---- MPI source trees ----------------------------------------------------------------------------

export type MpiFamily = 'openmpi' | 'mpich' | 'mvapich';

/** Directory names that say nothing about what is built in them. */
const GENERIC_DIRS = /^(\.|build|_build|build[-_].*|obj|objdir|src|source|sources|tmp|var|opt|usr|local|root|home|work|workdir|scratch|code|downloads?)$/i;

/** MPI family of a source-directory name (`openmpi-4.1.6`, `ompi`, `mpich-4.2.0`, `mvapich2-2.3.7`). */
export function mpiFamilyOfDirName(name: string): MpiFamily | undefined {
  const m = /^(openmpi|ompi|mpich2?|mvapich2?|mvapich-plus)(?=$|[^a-z])/i.exec(name);
  if (!m) return undefined;
  const token = m[1].toLowerCase();
  if (token === 'openmpi' || token === 'ompi') return 'openmpi';
  if (token.startsWith('mvapich')) return 'mvapich';
  return 'mpich';
}

/** Version written in an MPI source directory or tarball name (`openmpi-4.1.6` → `4.1.6`). */
export function versionInName(name: string): string | undefined {
  const m = /(?:^|[-_v])(\d+\.\d+(?:\.\d+)?(?:[a-z]+\d*)?)/i.exec(name);
  return m?.[1];
}

export interface ConfigureRun {
  script: ShellScript;
  view: CommandView;
  /** Arguments after `configure` (for `sh configure ...`, after the script word). */
  args: ShellWord[];
  /** The directory `configure` runs from, as path components (best effort). */
  dir: string[];
  /** Range of the `configure` word itself. */
  configureRange: Range;
  family?: MpiFamily;
  /** Version in the source directory name, when written there. */
  version?: string;
}

/**
 * Every `configure` run in the scripts, with the source tree it runs in. The working directory is
 * followed through `cd`/`pushd`/`popd` in source order; a `cd` to an expansion we cannot know
 * leaves an opaque component, so the family stays unknown rather than guessed.
 */
export function configureRuns(scripts: ShellScript[]): ConfigureRun[] {
  return scripts.filter((script) => isBuildSection(script.section)).flatMap((script) => runsIn.of(script.commands).map((run) => ({ script, ...run })));
}

/** The configure runs of one script's commands, without the script (kept per commands array). */
const runsIn = new PerCommands((commands) => {
  const runs: Omit<ConfigureRun, 'script'>[] = [];
  let cwd: string[] = [];
  const stack: string[][] = [];
  for (const command of commands) {
    const view = viewOf(command);
    const base = view.baseName;
    if (base === 'cd' || base === 'pushd') {
      const target = view.args.find((a) => !a.text.startsWith('-') || a.text === '-');
      if (base === 'pushd') stack.push(cwd);
      cwd = target ? changeDir(cwd, wordPath(target)) : [];
      continue;
    }
    if (base === 'popd') {
      cwd = stack.pop() ?? [];
      continue;
    }
    let path: string | undefined;
    let args = view.args;
    let configureRange = command.nameRange;
    if (base === 'configure') path = command.name.replace(/["']/g, '');
    else if ((base === 'sh' || base === 'bash') && view.args[0] && baseNameOf(view.args[0].text) === 'configure') {
      path = wordPath(view.args[0]);
      args = view.args.slice(1);
      configureRange = view.args[0].range;
    }
    if (path === undefined) continue;
    const dir = changeDir(cwd, path.slice(0, Math.max(0, path.length - 'configure'.length)) || '.');
    const sourceDir = [...dir].reverse().find((c) => !GENERIC_DIRS.test(c) && c !== '..');
    const family = sourceDir ? mpiFamilyOfDirName(sourceDir) : undefined;
    runs.push({ view, args, dir, configureRange, family, version: family && sourceDir ? versionInName(sourceDir) : undefined });
  }
  return runs;
});

/** `configureRuns(ctx.scripts)`, made once per lint (several MPI rules read it). */
export function lintConfigureRuns(scripts: readonly ShellScript[]): readonly ConfigureRun[] {
  return configureRunsOf.of(scripts);
}

const configureRunsOf = new PerLint((scripts) => configureRuns(scripts as ShellScript[]));

/** A path word as text: exact when static, otherwise the raw text without quotes (`openmpi-$V`). */
function wordPath(word: ShellWord): string {
  return word.isStatic ? word.text : word.raw.replace(/["']/g, '');
}

function changeDir(cwd: string[], target: string): string[] {
  if (target === '' || target === '~' || target === '-') return [];
  const parts = target.split('/');
  const result = target.startsWith('/') ? [] : [...cwd];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (result.length > 0 && result[result.length - 1] !== '..') result.pop();
      else result.push('..');
    } else result.push(part);
  }
  return result;
}

/** True when some argument is an expansion we cannot see into (`$CONFIG_OPTS`). */
export function hasOpaqueArgs(args: ShellWord[]): boolean {
  return args.some((a) => !a.isStatic && /^["']?\$/.test(a.raw));
}

// ---- MPI launchers and packages -----------------------------------------------------------------

const LAUNCHERS = new Set(['mpirun', 'mpiexec', 'mpiexec.hydra', 'mpiexec.gforker', 'orterun', 'prterun', 'prun', 'srun', 'aprun', 'ibrun', 'mpirun_rsh']);

/** `mpirun`, `mpiexec.openmpi`, `srun`, ... */
export function isMpiLauncher(baseName: string): boolean {
  return LAUNCHERS.has(baseName) || /^(mpirun|mpiexec)\.[a-z0-9]+$/.test(baseName);
}

export interface DistroMpi {
  family: MpiFamily;
}

/** Distro package names of an MPI implementation (Debian/Ubuntu, EL, SUSE, Alpine). */
export function distroMpiPackage(name: string): DistroMpi | undefined {
  // Asked about every installed package: each name below holds `mpi` or `mvapich`, most names neither.
  if (!name.includes('mpi') && !name.includes('mvapich')) return undefined;
  if (/^(openmpi(\d|-bin|-common|-devel|-libs)?|openmpi\d-(devel|libs)|libopenmpi(\d+|-dev))$/.test(name)) return { family: 'openmpi' };
  if (/^(mpich2?(-bin|-devel|-libs|-3\.\d+(-devel)?)?|libmpich(\d+|-dev|-shmem\d*|2-dev)|libmpich2-\d+)$/.test(name)) return { family: 'mpich' };
  if (/^(mvapich2?(-devel|-libs)?|libmvapich2?(-\d+|-dev))$/.test(name)) return { family: 'mvapich' };
  return undefined;
}

/** MPI packages from language-level package managers (conda, pip, spack). */
export function languageMpiPackage(name: string): MpiFamily | undefined {
  if (name === 'openmpi') return 'openmpi';
  if (name === 'mpich') return 'mpich';
  if (name === 'mvapich2' || name === 'mvapich') return 'mvapich';
  return undefined;
}

// ---- Labels ---------------------------------------------------------------------------------

/** `%labels` of a stage, last value wins, keys lowercased. */
export function stageLabels(stage: Stage): Map<string, LabelEntry> {
  const labels = new Map<string, LabelEntry>();
  for (const section of stage.sections) {
    if (section.name !== 'labels' || !section.labels) continue;
    for (const entry of section.labels) labels.set(entry.key.toLowerCase(), entry);
  }
  return labels;
}

/** Provenance label keys the generator writes (see docs/generator.md). */
export const MPI_LABELS = {
  model: 'org.apptainer-gen.mpi.model',
  impl: 'org.apptainer-gen.mpi.impl',
  version: 'org.apptainer-gen.mpi.version',
  pmi: 'org.apptainer-gen.mpi.pmi',
  launcher: 'org.apptainer-gen.mpi.launcher',
} as const;

/** A provenance label of the final stage (lowercased, trimmed value), if present. */
export function declaredLabel(file: ParsedFile, key: string): string | undefined {
  const stage = finalStage(file);
  if (!stage) return undefined;
  return stageLabels(stage).get(key)?.value.trim().toLowerCase() || undefined;
}

/** The MPI model the image declares in its provenance labels, if any. */
export function declaredMpiModel(file: ParsedFile): string | undefined {
  const stage = finalStage(file);
  if (!stage) return undefined;
  return stageLabels(stage).get(MPI_LABELS.model)?.value.trim().toLowerCase() || undefined;
}

// ---- Environment assignments -----------------------------------------------------------------

export interface Assignment {
  name: string;
  /** Value text (quotes removed when static, raw when it expands something). */
  value: string;
  /** True when the value contains no expansion. */
  isStatic: boolean;
  /** Range of the whole `NAME=value`. */
  range: Range;
  /** True for `export NAME=...`/`declare -x`. */
  exported: boolean;
  /** True for `NAME=value cmd` (the value applies to that command only). */
  prefix: boolean;
}

const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'readonly', 'local']);

/** Variables a script sets: `export A=1 B=2`, `declare -x A=1`, bare `A=1`, and prefix `A=1 cmd`. */
export function assignmentsIn(script: ShellScript): Assignment[] {
  const out: Assignment[] = [];
  for (const a of shellDetails(script).assignments) {
    // `export NAME` (no `=`) marks a variable for export without setting it.
    if (a.value === '' && a.exported && a.range.end.offset - a.range.start.offset === a.name.length) continue;
    out.push({ name: a.name, value: a.value, isStatic: !/[$`]/.test(a.value), range: a.range, exported: a.exported, prefix: false });
  }
  for (const command of script.commands) {
    if (DECLARATIONS.has(command.baseName)) continue; // already in the standalone list
    for (const a of command.assignments) {
      out.push({ name: a.name, value: a.value, isStatic: !/[$`]/.test(a.value), range: a.range, exported: false, prefix: true });
    }
  }
  return out.sort((x, y) => x.range.start.offset - y.range.start.offset);
}
