// Shared by the size rules (DEF604, DEF605: installing into directories that are hidden or not stored at run time).
import { hasAnyFlag, isCMake, isConda, isConfigureScript, isMake, isPipInstall, pipArgs, positionalArgs } from '../shell/index.js';
import type { Range } from '../../parse/model.js';
import type { ShellCommand, ShellWord } from '../types.js';

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
    : CONDA_INSTALLER.test(cmd.args[0]?.text.split('/').pop() ?? '') && ['sh', 'bash'].includes(cmd.baseName)
      ? cmd.args.slice(1)
      : undefined;
  if (installer) {
    const before = found.length;
    valueOf(installer, ['-p'], 'conda installer -p');
    // `-bfp /usr/local`: -p combined with other short flags takes the next word too.
    const combined = installer.findIndex((a) => /^-[a-zA-Z]*p$/.test(a.text) && a.text !== '-p');
    if (combined !== -1 && installer[combined + 1]) {
      const target = installer[combined + 1];
      found.push({ what: 'conda installer -p', path: unquote(target.raw), range: target.range });
    }
    if (found.length === before && combined === -1) found.push({ what: 'conda installer default (~/miniconda3)', path: '~/miniconda3', range: cmd.range });
  }
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
