// Shared by the shell rules (DEF305-DEF308: apt-get in scripts).
import { hasAnyFlag, optionValue, packagesInstalled, shellDetails, type ShellAssignment } from '../shell/index.js';
import type { ShellCommand, ShellScript } from '../types.js';
import { PerLintStage } from './lint-memo.js';
import { scriptsOfStage } from './shell-tree.js';

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

/** Where a stage's download tools fetch `https://` addresses and where it installs ca-certificates. */
interface StageFetches {
  /** Start offset of the stage's last `https://` download, -1 when none. */
  lastHttpsFetch: number;
  /** Start offset of the stage's first install of `ca-certificates`, Infinity when none. */
  firstCertificates: number;
}

const DOWNLOADERS: ReadonlySet<string> = new Set(['wget', 'curl', 'git', 'aria2c']);

// Asked for every `apt-get install` of a stage: one pass over the stage's commands per lint.
const stageFetches = new PerLintStage<StageFetches>((scripts, stage) => {
  const facts: StageFetches = { lastHttpsFetch: -1, firstCertificates: Infinity };
  for (const script of scriptsOfStage(scripts, stage)) {
    for (const c of script.commands) {
      const at = c.range.start.offset;
      if (at > facts.lastHttpsFetch && DOWNLOADERS.has(c.baseName) && c.args.some((a) => a.text.includes('https://'))) facts.lastHttpsFetch = at;
      if (at < facts.firstCertificates && packagesInstalled(c).some((word) => word.text === 'ca-certificates')) facts.firstCertificates = at;
    }
  }
  return facts;
});

/** Some download tool (`wget`, `curl`, `git`) fetches an `https://` URL after `cmd` in its stage. */
export function fetchesHttpsLater(scripts: readonly ShellScript[], script: ShellScript, cmd: ShellCommand): boolean {
  return stageFetches.of(scripts, script.stage).lastHttpsFetch > cmd.range.start.offset;
}

/** `ca-certificates` is installed by this command or by an install before it in the stage. */
export function certificatesInstalled(scripts: readonly ShellScript[], script: ShellScript, cmd: ShellCommand): boolean {
  return stageFetches.of(scripts, script.stage).firstCertificates <= cmd.range.start.offset;
}

/**
 * A stage's DEBIAN_FRONTEND assignments sorted by offset, with what `exportedBefore` asks of the
 * first k of them: the value of the non-empty one latest in script order, and whether one is
 * exported. Each install then costs a binary search, not a pass over every assignment.
 */
export interface FrontendAssignments {
  offsets: number[];
  /** For the first k assignments by offset: the value of the non-empty one latest in script order. */
  value: (string | undefined)[];
  exported: boolean[];
}

export function frontendAssignments(list: readonly ShellAssignment[]): FrontendAssignments {
  const order = list.map((_, index) => index).sort((a, b) => list[a].range.start.offset - list[b].range.start.offset);
  const facts: FrontendAssignments = { offsets: [], value: [undefined], exported: [false] };
  let latest = -1;
  let exported = false;
  for (const index of order) {
    const a = list[index];
    if (a.value !== '' && index > latest) latest = index;
    if (a.exported) exported = true;
    facts.offsets.push(a.range.start.offset);
    facts.value.push(latest >= 0 ? list[latest].value : undefined);
    facts.exported.push(exported);
  }
  return facts;
}

/** Whether DEBIAN_FRONTEND=noninteractive is exported before `offset`. */
export function exportedBefore(assignments: FrontendAssignments | undefined, offset: number): boolean {
  if (!assignments || assignments.offsets.length === 0) return false;
  // How many assignments start before `offset`.
  const { offsets } = assignments;
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (offsets[middle] < offset) low = middle + 1;
    else high = middle;
  }
  return assignments.value[low] === 'noninteractive' && assignments.exported[low];
}
