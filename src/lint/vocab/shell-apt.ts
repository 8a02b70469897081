// Shared by the shell rules (DEF305-DEF308: apt-get in scripts).
import { hasAnyFlag, optionValue, packagesInstalled, shellDetails } from '../shell/index.js';
import type { ShellCommand, ShellScript } from '../types.js';

export const PROMPTING_SUBCOMMANDS = ['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'remove', 'purge', 'autoremove', 'build-dep', 'reinstall'];

/** `yes | apt-get ...` answers the prompts. */
export function fedByYes(cmd: ShellCommand): boolean {
  const p = cmd.pipeline;
  return !!p && p.commands.some((c) => c.baseName === 'yes' && (c.pipeline?.index ?? 0) < p.index);
}

export function assumesYes(cmd: ShellCommand): boolean {
  if (hasAnyFlag(cmd, 'y', 'yes', 'assume-yes', 'force-yes', '-qq', '-q=2', 'quiet=2')) return true;
  const option = optionValue(cmd, '-o') ?? optionValue(cmd, '--option') ?? '';
  return (
    /APT::Get::Assume-Yes\s*=\s*(true|1|yes)/i.test(option) || cmd.args.some((a) => /^-oAPT::Get::Assume-Yes=(true|1|yes)$/i.test(a.text)) || fedByYes(cmd)
  );
}

/** Stage-wide `APT::Install-Recommends "false"` written to apt.conf.d switches recommends off. */
export function recommendsDisabledInStage(scripts: ShellScript[], script: ShellScript): boolean {
  return scripts.some((s) => {
    if (s.stage !== script.stage) return false;
    if (shellDetails(s).heredocs.some((h) => /Install-Recommends/i.test(h.content))) return true;
    return s.commands.some((c) => c.args.some((a) => /Install-Recommends/i.test(a.raw)));
  });
}

export const APT_GET_SUBCOMMANDS = [
  'install',
  'update',
  'upgrade',
  'dist-upgrade',
  'full-upgrade',
  'remove',
  'purge',
  'autoremove',
  'autoclean',
  'clean',
  'reinstall',
];

/** Commands of the stage's scripts in order (scripts in file order), each with its script. */
function stageCommands(scripts: readonly ShellScript[], script: ShellScript): ShellCommand[] {
  return scripts.filter((s) => s.stage === script.stage).flatMap((s) => s.commands);
}

/** Some download tool (`wget`, `curl`, `git`) fetches an `https://` URL after `cmd` in its stage. */
export function fetchesHttpsLater(scripts: readonly ShellScript[], script: ShellScript, cmd: ShellCommand): boolean {
  return stageCommands(scripts, script).some(
    (c) =>
      c.range.start.offset > cmd.range.start.offset &&
      ['wget', 'curl', 'git', 'aria2c'].includes(c.baseName) &&
      c.args.some((a) => a.text.includes('https://')),
  );
}

/** `ca-certificates` is installed by this command or by an install before it in the stage. */
export function certificatesInstalled(scripts: readonly ShellScript[], script: ShellScript, cmd: ShellCommand): boolean {
  return stageCommands(scripts, script).some(
    (c) => c.range.start.offset <= cmd.range.start.offset && packagesInstalled(c).some((word) => word.text === 'ca-certificates'),
  );
}
