// Shared by the size rules (DEF604, DEF605: installing into directories that are hidden or not stored at run time).
import { isCMake, isConfigureScript, isMake, isPipInstall, pipArgs } from '../shell/index.js';
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
