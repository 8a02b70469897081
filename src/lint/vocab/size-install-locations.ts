// Shared by the rules about installing into directories that are hidden or not stored at run time
// (DEF604, DEF605) and about the build user's home on the run-time search paths (DEF220).
import { hasAnyFlag, isCMake, isConda, isConfigureScript, isMake, isPipInstall, pipArgs, positionalArgs, shellDetails } from '../shell/index.js';
import type { Range } from '../../parse/model.js';
import type { ShellCommand, ShellScript, ShellWord } from '../types.js';

export interface Destination {
  /** What kind of destination, for messages (`--prefix`, `CMAKE_INSTALL_PREFIX`...). */
  what: string;
  /** Path with quotes removed (variables left as written). */
  path: string;
  range: Range;
}

export const CONDA_INSTALLER = /^(Miniconda|Miniforge|Mambaforge|Anaconda|Micromamba)[\w.-]*\.sh$/i;

export function unquote(raw: string): string {
  return raw.replace(/["']/g, '');
}

/** Install destinations a command names: `--prefix`, `-DCMAKE_INSTALL_PREFIX=`, `PREFIX=`, pip `--target`, conda installer `-p`. */
export function installDestinations(cmd: ShellCommand): Destination[] {
  const found: Destination[] = [];
  const valueOf = (args: ShellWord[], names: string[], what: string) => {
    args.forEach((arg, i) => {
      const raw = unquote(arg.raw);
      for (const name of names) {
        if (raw.startsWith(`${name}=`)) found.push({ what, path: raw.slice(name.length + 1), range: arg.range });
        else if (raw === name && args[i + 1]) found.push({ what, path: unquote(args[i + 1].raw), range: args[i + 1].range });
      }
    });
  };
  if (isConfigureScript(cmd)) valueOf(cmd.args, ['--prefix'], '--prefix');
  if (isCMake(cmd)) {
    for (const arg of cmd.args) {
      const m = /^-DCMAKE_INSTALL_PREFIX(?::\w+)?=(.*)$/.exec(unquote(arg.raw));
      if (m) found.push({ what: 'CMAKE_INSTALL_PREFIX', path: m[1], range: arg.range });
    }
    valueOf(cmd.args, ['--install-prefix'], '--install-prefix');
  }
  if (isMake(cmd)) valueOf(cmd.args, ['PREFIX', 'prefix'], 'PREFIX');
  if (isPipInstall(cmd)) valueOf(pipArgs(cmd)!, ['--target', '-t', '--prefix', '--root'], 'pip install target');
  if (cmd.baseName === 'npm') valueOf(cmd.args, ['--prefix'], 'npm --prefix');
  const installer = CONDA_INSTALLER.test(cmd.baseName)
    ? cmd.args
    : (cmd.baseName === 'sh' || cmd.baseName === 'bash') && CONDA_INSTALLER.test(cmd.args[0]?.text.split('/').pop() ?? '')
      ? cmd.args.slice(1)
      : undefined;
  if (installer) found.push(...condaInstallerDestinations(installer, cmd.range));
  return found;
}

/** Where a Miniconda/Miniforge installer run with `args` installs: its `-p`, or `~/miniconda3` without one. */
export function condaInstallerDestinations(args: ShellWord[], range: Range): Destination[] {
  const found: Destination[] = [];
  args.forEach((arg, i) => {
    const raw = unquote(arg.raw);
    if (raw.startsWith('-p=')) found.push({ what: 'conda installer -p', path: raw.slice(3), range: arg.range });
    else if (raw === '-p' && args[i + 1]) found.push({ what: 'conda installer -p', path: unquote(args[i + 1].raw), range: args[i + 1].range });
  });
  // `-bfp /usr/local`: -p combined with other short flags takes the next word too.
  const combined = args.findIndex((a) => /^-[a-zA-Z]*p$/.test(a.text) && a.text !== '-p');
  if (combined !== -1 && args[combined + 1]) {
    const target = args[combined + 1];
    found.push({ what: 'conda installer -p', path: unquote(target.raw), range: target.range });
  }
  if (found.length === 0 && combined === -1) found.push({ what: 'conda installer default (~/miniconda3)', path: '~/miniconda3', range });
  return found;
}

export const HOME = /^(~|\$HOME|\$\{HOME\}|\/root|\/home\/)(\/|$)|^\/home\//;

export const BOUND_BY_DEFAULT = ['/tmp', '/var/tmp', '/mnt', '/srv'];

/**
 * Python environments a command creates or fills, for DEF604: conda/mamba/micromamba `-p`/`--prefix`,
 * `python -m venv DIR`, `virtualenv DIR`, `uv venv DIR`; and tools installed into `~/.local` by
 * `uv tool install` / `pipx install` unless UV_TOOL_DIR / PIPX_HOME moves them.
 */
export function environmentDestinations(cmd: ShellCommand): Destination[] {
  if (isConda(cmd, 'create', 'install', 'env')) {
    const prefix = cmd.args.findIndex((a) => a.text === '-p' || a.text === '--prefix' || a.text.startsWith('--prefix='));
    if (prefix < 0) return [];
    const word = cmd.args[prefix].text.startsWith('--prefix=') ? cmd.args[prefix] : cmd.args[prefix + 1];
    if (!word) return [];
    return [{ what: `\`${cmd.baseName} -p\``, path: unquote(word.raw).replace(/^--prefix=/, ''), range: word.range }];
  }
  const venvArgs =
    /^python[\d.]*$/.test(cmd.baseName) && cmd.args[0]?.text === '-m' && ['venv', 'virtualenv'].includes(cmd.args[1]?.text ?? '')
      ? cmd.args.slice(2)
      : cmd.baseName === 'virtualenv'
        ? cmd.args
        : cmd.baseName === 'uv' && cmd.args[0]?.text === 'venv'
          ? cmd.args.slice(1)
          : undefined;
  if (venvArgs) {
    const dir = positionalArgs(venvArgs, ['-p', '--python', '--prompt'])[0];
    return dir ? [{ what: 'a virtual environment', path: unquote(dir.raw), range: dir.range }] : [];
  }
  const tool =
    (cmd.baseName === 'uv' && cmd.args[0]?.text === 'tool' && cmd.args[1]?.text === 'install') || (cmd.baseName === 'pipx' && cmd.args[0]?.text === 'install');
  if (tool && !cmd.assignments.some((a) => a.name === 'UV_TOOL_DIR' || a.name === 'PIPX_HOME') && !hasAnyFlag(cmd, 'global')) {
    return [
      {
        what: `\`${cmd.baseName === 'uv' ? 'uv tool install' : 'pipx install'}\``,
        path: '~/.local',
        range: { start: cmd.nameRange.start, end: cmd.args[1]?.range.end ?? cmd.nameRange.end },
      },
    ];
  }
  return [];
}

// ---- Installers that default to the build user's home (DEF604) -------------------------------

/** A tool's own installer that puts the tool under `$HOME` (that is `/root` while building) unless told otherwise. */
export interface HomeInstaller {
  /** For messages: `The uv installer`. */
  what: string;
  /** The address it is downloaded from (piped into a shell, or saved and run). */
  url: RegExp;
  /** Names the installer has as a file of its own (`rustup-init`), without knowing its address. */
  file?: RegExp;
  /** Where it installs by default, and the variables that move each place. */
  homes: { path: string; variables: string[] }[];
  /** Installer options that choose the place (`--path DIR`). */
  pathOptions?: string[];
}

// The installers' documented defaults and variables: uv and ruff (cargo-dist installers:
// `UV_INSTALL_DIR`, `XDG_BIN_HOME`, `*_UNMANAGED_INSTALL`), rustup (`CARGO_HOME`, `RUSTUP_HOME`),
// pixi (`PIXI_HOME`, `PIXI_BIN_DIR`), Poetry (`POETRY_HOME`), nvm (`NVM_DIR`, `XDG_CONFIG_HOME`),
// pyenv-installer (`PYENV_ROOT`), Deno (`DENO_INSTALL`), Bun (`BUN_INSTALL`), SDKMAN!
// (`SDKMAN_DIR`), Volta (`VOLTA_HOME`), juliaup (`--path`).
const CARGO_DIST = ['CARGO_DIST_FORCE_INSTALL_DIR', 'XDG_BIN_HOME'];
export const HOME_INSTALLERS: readonly HomeInstaller[] = [
  {
    what: 'The uv installer',
    url: /\/\/(www\.)?astral\.sh\/uv\b|github\.com\/astral-sh\/uv\/releases\/.*installer\.sh/,
    homes: [{ path: '~/.local/bin', variables: ['UV_INSTALL_DIR', 'UV_UNMANAGED_INSTALL', ...CARGO_DIST] }],
  },
  {
    what: 'The ruff installer',
    url: /\/\/(www\.)?astral\.sh\/ruff\b|github\.com\/astral-sh\/ruff\/releases\/.*installer\.sh/,
    homes: [{ path: '~/.local/bin', variables: ['RUFF_INSTALL_DIR', 'RUFF_UNMANAGED_INSTALL', ...CARGO_DIST] }],
  },
  {
    what: 'rustup',
    url: /\/\/sh\.rustup\.rs|\/\/static\.rust-lang\.org\/rustup\//,
    file: /^rustup-init(\.sh)?$/,
    homes: [
      { path: '~/.cargo', variables: ['CARGO_HOME'] },
      { path: '~/.rustup', variables: ['RUSTUP_HOME'] },
    ],
  },
  {
    what: 'The pixi installer',
    url: /\/\/pixi\.sh\/install\.sh|prefix-dev\/pixi\/.*install\.sh/,
    homes: [{ path: '~/.pixi', variables: ['PIXI_HOME', 'PIXI_BIN_DIR'] }],
  },
  { what: 'The Poetry installer', url: /\/\/install\.python-poetry\.org/, homes: [{ path: '~/.local/share/pypoetry', variables: ['POETRY_HOME'] }] },
  { what: 'The nvm installer', url: /nvm-sh\/nvm\/.*install\.sh/, homes: [{ path: '~/.nvm', variables: ['NVM_DIR', 'XDG_CONFIG_HOME'] }] },
  { what: 'pyenv-installer', url: /\/\/pyenv\.run|pyenv\/pyenv-installer\//, homes: [{ path: '~/.pyenv', variables: ['PYENV_ROOT'] }] },
  { what: 'The Deno installer', url: /\/\/deno\.land\/(x\/)?install/, homes: [{ path: '~/.deno', variables: ['DENO_INSTALL'] }] },
  { what: 'The Bun installer', url: /\/\/bun\.sh\/install/, homes: [{ path: '~/.bun', variables: ['BUN_INSTALL'] }] },
  { what: 'The SDKMAN! installer', url: /\/\/get\.sdkman\.io/, homes: [{ path: '~/.sdkman', variables: ['SDKMAN_DIR'] }] },
  { what: 'The Volta installer', url: /\/\/get\.volta\.sh/, homes: [{ path: '~/.volta', variables: ['VOLTA_HOME'] }] },
  { what: 'juliaup', url: /\/\/install\.julialang\.org/, homes: [{ path: '~/.juliaup', variables: [] }], pathOptions: ['--path', '-p'] },
];

/** The installer a download address belongs to. */
export function homeInstallerAt(url: string): HomeInstaller | undefined {
  return HOME_INSTALLERS.find((installer) => installer.url.test(url));
}

/**
 * Files a script downloads, by file name: `curl -o F URL`, `curl -O URL`, `wget -O F URL` and
 * `wget URL` (named after the address). The last download of a name wins.
 */
export function downloadedFiles(commands: readonly ShellCommand[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const cmd of commands) {
    if (cmd.baseName !== 'curl' && cmd.baseName !== 'wget') continue;
    const url = cmd.args.find((a) => /^(https?|ftp):\/\//.test(a.text));
    if (!url) continue;
    const output = outputFileOf(cmd);
    const name = baseNameOf(output ?? (cmd.baseName === 'wget' || hasAnyFlag(cmd, 'O', 'remote-name') ? url.text.replace(/[?#].*$/, '') : ''));
    if (name) files.set(name, url.text);
  }
  return files;
}

/** The file `curl -o F` / `wget -O F` writes (combined short flags too: `-fsSLo F`, `-qO F`). */
function outputFileOf(cmd: ShellCommand): string | undefined {
  const short = cmd.baseName === 'curl' ? 'o' : 'O';
  const long = cmd.baseName === 'curl' ? '--output' : '--output-document';
  for (let i = 0; i < cmd.args.length; i++) {
    const word = cmd.args[i].text;
    if (word.startsWith(`${long}=`)) return unquote(word.slice(long.length + 1));
    if (word === long || new RegExp(`^-[A-Za-z]*${short}$`).test(word)) return cmd.args[i + 1] ? unquote(cmd.args[i + 1].raw) : undefined;
    if (new RegExp(`^-${short}.`).test(word)) return unquote(word.slice(2));
  }
  return undefined;
}

function baseNameOf(path: string): string {
  return path.replace(/\/+$/, '').split('/').pop() ?? '';
}

/**
 * What a command runs as a downloaded script: `sh F`, `bash -x F args`, `./F`, `/tmp/F`.
 * Returns the file name and the arguments the script gets.
 */
export function scriptRun(cmd: ShellCommand): { name: string; args: ShellWord[] } | undefined {
  if (SHELLS.has(cmd.baseName) || /^python[\d.]*$/.test(cmd.baseName)) {
    const at = cmd.args.findIndex((a) => !a.text.startsWith('-') || a.text === '-');
    if (at === -1 || cmd.args[at].text === '-' || cmd.args.slice(0, at).some((a) => a.text === '-c')) return undefined;
    return { name: baseNameOf(unquote(cmd.args[at].raw)), args: cmd.args.slice(at + 1) };
  }
  return { name: cmd.baseName, args: cmd.args };
}

const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash']);

/**
 * The address of an installer piped into this command (`curl URL | sh`, `wget -qO- URL | bash -s --`)
 * or handed to it by process or command substitution (`bash <(curl URL)`, `sh -c "$(curl URL)"`).
 */
export function pipedInstallerUrl(cmd: ShellCommand): string | undefined {
  if (!SHELLS.has(cmd.baseName) && !/^python[\d.]*$/.test(cmd.baseName)) return undefined;
  const index = cmd.pipeline?.index ?? 0;
  for (const other of cmd.pipeline?.commands ?? []) {
    if ((other.pipeline?.index ?? 0) >= index || (other.baseName !== 'curl' && other.baseName !== 'wget')) continue;
    const url = other.args.find((a) => /^(https?|ftp):\/\//.test(a.text));
    if (url) return url.text;
  }
  for (const arg of cmd.args) {
    const m = /(?:\$\(|<\(|`)\s*(?:curl|wget)\b[^)`]*?((?:https?|ftp):\/\/[^\s"')`]+)/.exec(arg.raw);
    if (m) return m[1];
  }
  return undefined;
}

/** `cargo install` (also `cargo +nightly install`), not `--list`. */
export function isCargoInstall(cmd: ShellCommand): boolean {
  return cmd.baseName === 'cargo' && positionalArgs(cmd.args).filter((a) => !a.text.startsWith('+'))[0]?.text === 'install' && !hasAnyFlag(cmd, 'list');
}

/** `go install`. */
export function isGoInstall(cmd: ShellCommand): boolean {
  return cmd.baseName === 'go' && cmd.args[0]?.text === 'install';
}

// ---- Where `$HOME` is, and what makes a home install harmless (DEF604, DEF220) --------------

/**
 * A destination as a path under `/root` or `/home/...`, with `~`, `$HOME` and `${HOME}` read as
 * `/root` (the build user's home), unless `HOME` was set to something else (`homeMoved`), in
 * which case they are not the home directory at run time either. Undefined when not a home path.
 */
export function homePath(path: string, homeMoved: boolean): string | undefined {
  const plain = unquote(path);
  const m = /^(~|\$HOME|\$\{HOME\})(\/.*)?$/.exec(plain);
  const resolved = m ? (homeMoved ? undefined : `/root${m[2] ?? ''}`) : plain;
  if (resolved === undefined || !/^\/root(\/|$)|^\/home\/./.test(resolved)) return undefined;
  return resolved.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
}

/** True when `HOME` is set to something other than /root before `at` (in the script, or for the command itself). */
export function homeMovedBefore(script: ShellScript, at: number, prefixes: readonly { name: string; value: string }[] = []): boolean {
  let value: string | undefined;
  for (const a of shellDetails(script).assignments) if (a.name === 'HOME' && a.range.start.offset < at && !a.via) value = a.value;
  for (const a of prefixes) if (a.name === 'HOME') value = a.value;
  return value !== undefined && !/^\/root\/?$/.test(unquote(value));
}

/**
 * The value the named variables have for a command: its own prefix (`X=1 cmd`, `env X=1 cmd`) or
 * an earlier `export X=...` in the script. `''` when exported without a value seen.
 */
export function exportedValue(script: ShellScript, cmd: ShellCommand, names: readonly string[]): { name: string; value: string } | undefined {
  const own = cmd.assignments.find((a) => names.includes(a.name));
  if (own) return { name: own.name, value: unquote(own.value) };
  const at = cmd.range.start.offset;
  let found: { name: string; value: string } | undefined;
  const plain = new Map<string, string>();
  for (const a of shellDetails(script).assignments) {
    if (a.range.start.offset >= at || !names.includes(a.name)) continue;
    if (!a.exported) plain.set(a.name, unquote(a.value));
    else found = { name: a.name, value: a.value === '' ? (plain.get(a.name) ?? '') : unquote(a.value) };
  }
  return found;
}

/**
 * True when a build script of the stage makes `/root` searchable by everyone (`chmod 755 /root`,
 * `chmod -R a+rX ~`, `chmod o+x $HOME`): then a non-root user reaches what is installed there.
 */
export function homeOpened(scripts: readonly ShellScript[]): boolean {
  for (const script of scripts) {
    for (const cmd of script.commands) {
      if (cmd.baseName !== 'chmod') continue;
      const words = positionalArgs(cmd.args, ['--reference']);
      if (opensToOthers(words[0]?.text ?? '') && words.slice(1).some((w) => homePath(w.raw, false) === '/root')) return true;
    }
  }
  return false;
}

/** A chmod mode that lets others search a directory: `755`, `0711`, `o+x`, `a+rX`, `go=rx`, `+x`. */
function opensToOthers(mode: string): boolean {
  if (/^[0-7]{3,4}$/.test(mode)) return Number(mode.slice(-1)) % 2 === 1;
  return mode.split(',').some((clause) => {
    const m = /^([ugoa]*)[+=]([rwxXst]*)$/.exec(clause);
    return m !== null && (m[1] === '' || /[oa]/.test(m[1])) && /[xX]/.test(m[2]);
  });
}

const COPIES = new Set(['cp', 'mv', 'rsync', 'install']);

/**
 * True when a command after `at` copies or moves something out of `dir` (or `dir` itself, or a
 * directory holding it), or removes `dir` or a directory holding it: what stays there is either
 * not needed at run time or not there. `ln -s` does not count: the link still points into `dir`.
 */
export function takenOutOfLater(commands: readonly ShellCommand[], at: number, dir: string, homeMoved: boolean): boolean {
  const holds = (path: string | undefined) => path !== undefined && (path === dir || dir.startsWith(`${path}/`));
  for (const cmd of commands) {
    if (cmd.range.start.offset <= at) continue;
    const copies = COPIES.has(cmd.baseName) || (cmd.baseName === 'ln' && !hasAnyFlag(cmd, 's', 'symbolic'));
    if (copies) {
      const sources = positionalArgs(cmd.args, ['-m', '--mode', '-o', '-g', '-t', '-S', '--suffix', '-e']).slice(0, -1);
      if (sources.some((w) => related(homePath(stripGlob(w.raw), homeMoved), dir))) return true;
    } else if (cmd.baseName === 'rm') {
      if (positionalArgs(cmd.args).some((w) => holds(homePath(stripGlob(w.raw), homeMoved)))) return true;
    }
  }
  return false;
}

function related(path: string | undefined, dir: string): boolean {
  return path !== undefined && (path === dir || path.startsWith(`${dir}/`) || dir.startsWith(`${path}/`));
}

/** `/root/.local/bin/*` → `/root/.local/bin`: a glob over a directory's entries stands for the directory. */
function stripGlob(raw: string): string {
  return raw.replace(/\/\*$/, '');
}
