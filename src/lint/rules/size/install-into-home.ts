// DEF604 install-into-home: Software installed into `$HOME`, `~`, `/root` or `/home/...`.
import type { Range, Stage } from '../../../parse/model.js';
import { hasAnyFlag, isBuildSection, isPipInstall, optionValue, pipArgs, shellDetails } from '../../shell/index.js';
import type { ReportInput, ShellCommand, ShellScript, ShellWord } from '../../types.js';
import { defineRule } from '../../define-rule.js';
import { PerCommands } from '../../vocab/lint-memo.js';
import { stageBase } from '../../vocab/base-image.js';
import { agentOf } from '../../vocab/header.js';
import { isFinalStage } from '../../vocab/shell-commands.js';
import { scriptsOfStage } from '../../vocab/shell-tree.js';
import {
  condaInstallerDestinations,
  downloadedFiles,
  environmentDestinations,
  exportedValue,
  homeInstallerAt,
  homeMovedBefore,
  homeOpened,
  homePath,
  installDestinations,
  isCargoInstall,
  isGoInstall,
  pipedInstallerUrl,
  scriptRun,
  takenOutOfLater,
  unquote,
  CONDA_INSTALLER,
  HOME_INSTALLERS,
  type Destination,
  type HomeInstaller,
} from '../../vocab/size-install-locations.js';

export const installIntoHome = defineRule({
  create(ctx) {
    // Where the current script exports a tool directory (UV_TOOL_DIR, PIPX_HOME), if it does.
    let toolDirAt = Infinity;
    let downloads: ReadonlyMap<string, string> = NO_DOWNLOADS;
    const stages = new Map<Stage, { commands: ShellCommand[]; opened: boolean }>();
    const stageFacts = (stage: Stage) => {
      let facts = stages.get(stage);
      if (!facts) {
        const build = scriptsOfStage(ctx.scripts, stage).filter((s) => isBuildSection(s.section));
        facts = { commands: build.flatMap((s) => s.commands), opened: homeOpened(build) };
        stages.set(stage, facts);
      }
      return facts;
    };
    const inScope = (script: ShellScript) => isBuildSection(script.section) && isFinalStage(ctx.file, script.stage);
    /** The home directory `path` names, unless the install does not stay there or is readable anyway. */
    const unreachable = (script: ShellScript, at: number, path: string, homeMoved: boolean): string | undefined => {
      const dir = homePath(path, homeMoved);
      if (!dir) return undefined;
      const facts = stageFacts(script.stage);
      if (facts.opened && dir.startsWith('/root')) return undefined;
      return takenOutOfLater(facts.commands, at, dir, homeMoved) ? undefined : dir;
    };
    /** Whether the base image may set the tool's variables for the build (Rust and Go images; local or OCI bases, whose environment is unknown). */
    const baseMaySet = (stage: Stage, image: RegExp) => {
      const agent = agentOf(ctx, stage);
      if (agent !== undefined && UNKNOWN_ENVIRONMENT.has(agent)) return true;
      const base = stageBase(ctx, stage);
      return base !== undefined && image.test(base.ref.repository);
    };
    const reportInstaller = (installer: HomeInstaller, installerArgs: ShellCommand['args'], cmd: ShellCommand, script: ShellScript, range: Range) => {
      const at = cmd.range.start.offset;
      const homeMoved = homeMovedBefore(script, at, cmd.assignments);
      // The installer's own options come after `sh -s --`, where optionValue() stops looking.
      const ownArgs = installerArgs.filter((a) => a.text !== '--');
      const chosen = installer.pathOptions?.map((option) => optionValue(ownArgs, option)).find((v) => v !== undefined);
      const places =
        chosen !== undefined
          ? [{ path: unquote(chosen), variable: undefined }]
          : installer.homes.map((home) => {
              // Moved by its variable: only a home directory again is a finding ('' is a value not seen).
              const set = exportedValue(script, cmd, home.variables);
              return { path: set ? set.value : home.path, variable: home.variables[0] };
            });
      const dirs = places.filter((p) => homePath(p.path, homeMoved) !== undefined);
      if (dirs.length === 0 || dirs.some((p) => unreachable(script, at, p.path, homeMoved) === undefined)) return;
      if (installer.what === 'rustup' && baseMaySet(script.stage, RUST_IMAGE)) return;
      const variables = dirs.flatMap((p) => (p.variable ? [p.variable] : []));
      const remedy =
        variables.length > 0
          ? `Set ${variables.join(' and ')} to ${variables.length > 1 ? 'directories' : 'a directory'} under /opt or /usr/local`
          : `Pass ${installer.pathOptions?.[0] ?? 'a prefix'} with a directory under /opt`;
      ctx.report({ messageId: 'defaultsToHome', data: { what: installer.what, path: dirs.map((p) => p.path).join(' and '), remedy }, range });
    };
    return {
      script(script) {
        toolDirAt = Infinity;
        downloads = NO_DOWNLOADS;
        if (!inScope(script)) return;
        downloads = downloadsIn.of(script.commands);
        for (const a of shellDetails(script).assignments) {
          if (a.exported && TOOL_DIRS.has(a.name)) toolDirAt = Math.min(toolDirAt, a.range.start.offset);
          if (a.name === 'MAMBA_ROOT_PREFIX' && unreachable(script, a.range.start.offset, a.value, homeMovedBefore(script, a.range.start.offset))) {
            ctx.report({ messageId: 'installsIntoHomeDirectory', data: { what: 'MAMBA_ROOT_PREFIX', path: unquote(a.value) }, range: a.range });
          }
        }
        for (const cmd of candidatesIn.of(script.commands)) commandFindings(cmd, script, commandFacts(cmd));
      },
    };

    /** What one command that may install into the home directory is reported for. */
    function commandFindings(cmd: ShellCommand, script: ShellScript, facts: CommandFacts) {
      const at = cmd.range.start.offset;
      let homeMoved: boolean | undefined;
      const home = (path: string) => unreachable(script, at, path, (homeMoved ??= homeMovedBefore(script, at, cmd.assignments))) !== undefined;
      for (const d of facts.environment) {
        if (!home(d.path) || (d.path === '~/.local' && toolDirAt < at)) continue;
        ctx.report({ messageId: 'installsIntoHomeDirectory', data: { what: d.what, path: d.path }, range: d.range });
      }
      if (facts.pipUser && home('~/.local')) {
        const flag = pipArgs(cmd)!.find((a) => a.text === '--user')!;
        ctx.report({
          messageId: 'pipInstallUserInstalls',
          range: flag.range,
          suggestions: [{ description: 'Remove --user', edits: [{ start: flag.range.start.offset - 1, end: flag.range.end.offset, text: '' }] }],
        });
      }
      for (const d of facts.install) {
        if (home(d.path)) ctx.report({ messageId: 'installsIntoHomeDirectory', data: { what: d.what, path: d.path }, range: d.range });
      }
      installersRun(cmd, script, facts);
      if (!facts.toolInstall) return;
      const toolInstall = toolInstallFinding(cmd, script, home, baseMaySet);
      if (toolInstall) ctx.report(toolInstall);
    }

    /** An installer piped into a shell, or downloaded and then run. */
    function installersRun(cmd: ShellCommand, script: ShellScript, facts: CommandFacts) {
      if (facts.pipedInstaller) {
        reportInstaller(facts.pipedInstaller, cmd.args, cmd, script, cmd.pipeline?.range ?? cmd.range);
        return;
      }
      const { run } = facts;
      if (!run) return;
      const url = downloads.get(run.name);
      const installer = url !== undefined ? homeInstallerAt(url) : facts.fileInstaller;
      if (installer) {
        reportInstaller(installer, run.args, cmd, script, cmd.range);
        return;
      }
      // A Miniconda installer saved under another name (`-O /tmp/installer.sh`): same defaults.
      if (url === undefined || !CONDA_INSTALLER.test(url.split('/').pop() ?? '') || CONDA_INSTALLER.test(run.name)) return;
      const homeMoved = homeMovedBefore(script, cmd.range.start.offset, cmd.assignments);
      for (const d of condaInstallerDestinations(run.args, cmd.range)) {
        if (unreachable(script, cmd.range.start.offset, d.path, homeMoved)) {
          ctx.report({ messageId: 'installsIntoHomeDirectory', data: { what: d.what, path: d.path }, range: d.range });
        }
      }
    }
  },
  meta: {
    id: 'DEF604',
    slug: 'install-into-home',
    group: 'size',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Software installed into `$HOME`, `~`, `/root` or `/home/...`.',
    description: [
      "During the build `$HOME` is the image's `/root`. At run time the user is not root: `$HOME` is the",
      "user's own home directory, and `/root` (mode 700) cannot be read; run as root, the host's `/root`",
      'is mounted over it. Software installed there is missing or unreadable: `pip install --user`, a',
      'Miniconda installer without `-p`, `--prefix=$HOME/...`, a conda environment or virtual environment',
      'under `~`, `MAMBA_ROOT_PREFIX=/root/...`, `uv tool install` or `pipx install` into `~/.local`,',
      '`cargo install` without `--root` (`~/.cargo/bin`), `go install` without `GOBIN` (`~/go/bin`), and',
      'the installers that default to the home directory: uv and ruff (`~/.local/bin`), rustup',
      '(`~/.cargo`, `~/.rustup`), pixi, Poetry, nvm, pyenv, Deno, Bun, SDKMAN!, Volta and juliaup, piped',
      'into a shell or saved and run. Install under `/opt` or `/usr/local` (`UV_INSTALL_DIR=/usr/local/bin`,',
      '`CARGO_HOME=/opt/cargo RUSTUP_HOME=/opt/rustup`, `cargo install --root /usr/local`,',
      '`UV_TOOL_DIR=/opt/uv-tools UV_TOOL_BIN_DIR=/usr/local/bin`, `pipx install --global`).',
      '',
      'Not reported: a later `mv`/`cp` out of the directory (or its removal), `HOME` set to another',
      'directory first, `chmod 755 /root` (the directory is then readable), a `cargo install` or',
      '`go install` on a Rust or Go base image (which sets `CARGO_HOME`/`GOPATH`) or on a local or OCI',
      'base whose environment is unknown, and build stages other than the last: their home directory',
      'does not reach the image.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    pip install --no-cache-dir --user numpy==1.26.4\n',
    good: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    pip install --no-cache-dir numpy==1.26.4\n',
    source: [
      'AP-BP #1; AP-BIND; AP-BUILD (`MountHome=false` at build); uv tools: https://docs.astral.sh/uv/concepts/tools/ (`UV_TOOL_DIR`, `UV_TOOL_BIN_DIR`);',
      'pipx: https://pipx.pypa.io/stable/installation/ (`PIPX_HOME`, `--global`); uv installer: https://docs.astral.sh/uv/reference/installer/ (`UV_INSTALL_DIR`);',
      'rustup: https://rust-lang.github.io/rustup/installation/ (`CARGO_HOME`, `RUSTUP_HOME`); cargo install `--root`/`CARGO_INSTALL_ROOT`; go help install (`GOBIN`)',
    ].join(' '),
    needsShell: true,
    fixKind: 'suggestion',
    messages: {
      pipInstallUserInstalls:
        "`pip install --user` installs into /root/.local, which is hidden by the user's home at run time. Install system-wide or into a venv under /opt.",
      installsIntoHomeDirectory:
        "{{ what }} installs into {{ path }}: the home directory is replaced by the user's own at run time. Install under /opt or /usr/local.",
      defaultsToHome:
        "{{ what }} installs into {{ path }}, in the build user's home, which the run-time user cannot reach. {{ remedy }}, or move what is needed out after installing.",
    },
  },
});

const NO_DOWNLOADS: ReadonlyMap<string, string> = new Map();

/** The files one script's commands download, by name (kept per commands array, see PerCommands). */
const downloadsIn = new PerCommands((commands): ReadonlyMap<string, string> => downloadedFiles(commands));

/**
 * The commands of a script that can be a finding: those whose own words may install into a home
 * directory, and those that run a file the script downloaded (kept per commands array).
 */
const candidatesIn = new PerCommands((commands) => {
  const downloads = downloadsIn.of(commands);
  return commands.filter((cmd) => {
    const facts = commandFacts(cmd);
    return !facts.quiet || (facts.run !== undefined && downloads.has(facts.run.name));
  });
});

/** What the rule reads from one command alone, before looking at its script or stage. */
interface CommandFacts {
  environment: Destination[];
  /** `pip install --user`. */
  pipUser: boolean;
  install: Destination[];
  /** The home installer piped into the command, if any. */
  pipedInstaller?: HomeInstaller;
  /** The script the command runs (when nothing is piped into it), and the installer its file name names. */
  run?: { name: string; args: ShellWord[] };
  fileInstaller?: HomeInstaller;
  /** `cargo install` or `go install`. */
  toolInstall: boolean;
  /** Nothing here can be a finding, unless the script downloaded the file the command runs. */
  quiet: boolean;
}

// Every command of the final stage is asked on every lint; the answers depend on the command
// alone, and the shell layer hands later lints the same command objects for unchanged sections.
const commandFactsCache = new WeakMap<ShellCommand, CommandFacts>();

function commandFacts(cmd: ShellCommand): CommandFacts {
  let facts = commandFactsCache.get(cmd);
  if (facts) return facts;
  const environment = environmentDestinations(cmd);
  const pipUser = isPipInstall(cmd) && hasAnyFlag(pipArgs(cmd)!, 'user');
  const install = installDestinations(cmd);
  const piped = pipedInstallerUrl(cmd);
  const pipedInstaller = piped !== undefined ? homeInstallerAt(piped) : undefined;
  const run = piped === undefined ? scriptRun(cmd) : undefined;
  const fileInstaller = run ? HOME_INSTALLERS.find((i) => i.file?.test(run.name)) : undefined;
  const toolInstall = isCargoInstall(cmd) || isGoInstall(cmd);
  const quiet = environment.length === 0 && !pipUser && install.length === 0 && !pipedInstaller && !fileInstaller && !toolInstall;
  facts = { environment, pipUser, install, pipedInstaller, run, fileInstaller, toolInstall, quiet };
  commandFactsCache.set(cmd, facts);
  return facts;
}

/** `cargo install` without `--root`, `go install` without `GOBIN`: the finding, if any. */
function toolInstallFinding(
  cmd: ShellCommand,
  script: ShellScript,
  home: (path: string) => boolean,
  baseMaySet: (stage: Stage, image: RegExp) => boolean,
): ReportInput<'defaultsToHome'> | undefined {
  if (isCargoInstall(cmd)) {
    const root = optionValue(cmd, '--root');
    const set = root === undefined ? exportedValue(script, cmd, ['CARGO_INSTALL_ROOT', 'CARGO_HOME']) : undefined;
    if (root === undefined && set === undefined && baseMaySet(script.stage, RUST_IMAGE)) return undefined;
    const path = root !== undefined ? unquote(root) : set ? set.value : '~/.cargo/bin';
    if (!home(path)) return undefined;
    const install = cmd.args.find((a) => a.text === 'install')!;
    return {
      messageId: 'defaultsToHome',
      data: { what: '`cargo install`', path, remedy: 'Pass `--root /usr/local` (or set CARGO_INSTALL_ROOT)' },
      range: { start: cmd.nameRange.start, end: install.range.end },
      suggestions:
        root === undefined && set === undefined
          ? [
              {
                description: 'Install into /usr/local/bin',
                edits: [{ start: install.range.end.offset, end: install.range.end.offset, text: ' --root /usr/local' }],
              },
            ]
          : undefined,
    };
  }
  if (!isGoInstall(cmd)) return undefined;
  const set = exportedValue(script, cmd, ['GOBIN', 'GOPATH']);
  if (set === undefined && baseMaySet(script.stage, GO_IMAGE)) return undefined;
  const path = set ? set.value : '~/go/bin';
  if (!home(path)) return undefined;
  return {
    messageId: 'defaultsToHome',
    data: { what: '`go install`', path, remedy: 'Set GOBIN to a directory such as /usr/local/bin' },
    range: { start: cmd.nameRange.start, end: cmd.args[0].range.end },
  };
}

/** Variables that move `uv tool install` / `pipx install` out of `~/.local`. */
const TOOL_DIRS = new Set(['UV_TOOL_DIR', 'PIPX_HOME']);

/** Agents whose base brings an environment the linter cannot see (it may set CARGO_HOME, GOPATH...). */
const UNKNOWN_ENVIRONMENT = new Set(['localimage', 'oci', 'oci-archive', 'docker-archive', 'docker-daemon']);

/** Base images that set CARGO_HOME / RUSTUP_HOME (the official `rust` image and its relatives). */
const RUST_IMAGE = /(^|\/)[^/]*rust/;

/** Base images that set GOPATH (the official `golang` image and its relatives). */
const GO_IMAGE = /(^|\/)[^/]*golang/;
