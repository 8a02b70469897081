// DEF305-DEF308: apt-get in scripts.
import { hasAnyFlag, hasOption, isAptGet, isAptGetInstall, isBuildSection, isEnvironmentSection, optionValue, shellDetails, subcommand, type ShellAssignment } from '../../shell/index.js';
import type { ShellCommand, ShellScript } from '../../types.js';
import { insertAfterWord, insertLineAtBodyStart } from './helpers.js';
import { defineRule } from '../../define-rule.js';

const PROMPTING_SUBCOMMANDS = ['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'remove', 'purge', 'autoremove', 'build-dep', 'reinstall'];

/** `yes | apt-get ...` answers the prompts. */
function fedByYes(cmd: ShellCommand): boolean {
  const p = cmd.pipeline;
  return !!p && p.commands.some((c) => c.baseName === 'yes' && (c.pipeline?.index ?? 0) < p.index);
}

function assumesYes(cmd: ShellCommand): boolean {
  if (hasAnyFlag(cmd, 'y', 'yes', 'assume-yes', 'force-yes', '-qq', '-q=2', 'quiet=2')) return true;
  const option = optionValue(cmd, '-o') ?? optionValue(cmd, '--option') ?? '';
  return /APT::Get::Assume-Yes\s*=\s*(true|1|yes)/i.test(option) || cmd.args.some((a) => /^-oAPT::Get::Assume-Yes=(true|1|yes)$/i.test(a.text)) || fedByYes(cmd);
}

export const aptGetWithoutYes = defineRule({
  meta: {
    id: 'DEF305',
    slug: 'apt-get-without-yes',
    group: 'shell',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: '`apt-get install/upgrade/remove` without `-y`: the build has no terminal to answer.',
    description: [
      'Build scripts have no terminal. `apt-get install` asks "Do you want to continue? [Y/n]",',
      'reads end-of-file and aborts, and the build fails. Pass `-y` (`--yes`, `--assume-yes`; `-qq`',
      'implies it).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get install curl\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get install -y curl\n',
    source: 'HL DL3014; DFL',
    needsShell: true,
    fixKind: 'safe',
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      for (const cmd of script.commands) {
        if (!isAptGet(cmd, ...PROMPTING_SUBCOMMANDS) || assumesYes(cmd)) continue;
        const sub = subcommand(cmd)!;
        ctx.report({
          message: `\`${cmd.baseName} ${sub.text}\` without -y waits for an answer the build cannot give, and aborts.`,
          range: { start: cmd.nameRange.start, end: sub.range.end },
          fix: insertAfterWord(sub, ' -y', 'Add -y'),
        });
      }
    }
  },
});

/** Stage-wide `APT::Install-Recommends "false"` written to apt.conf.d switches recommends off. */
function recommendsDisabledInStage(scripts: ShellScript[], script: ShellScript): boolean {
  return scripts.some((s) => {
    if (s.stage !== script.stage) return false;
    if (shellDetails(s).heredocs.some((h) => /Install-Recommends/i.test(h.content))) return true;
    return s.commands.some((c) => c.args.some((a) => /Install-Recommends/i.test(a.raw)));
  });
}

export const aptRecommends = defineRule({
  meta: {
    id: 'DEF306',
    slug: 'apt-recommends',
    group: 'shell',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`apt-get install` without `--no-install-recommends` pulls in extra packages.',
    description: [
      'By default apt also installs every "recommended" package, which often doubles the image size',
      '(documentation, X11 libraries, ...). Install what you need explicitly and pass',
      '`--no-install-recommends`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get install -y python3\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get install -y --no-install-recommends python3\n',
    source: 'HL DL3015; DFL',
    needsShell: true,
    fixKind: 'safe',
  },
  check(ctx) {
    // Once per stage, not per command (a stage-wide scan).
    const disabledByStage = new Map<ShellScript['stage'], boolean>();
    const disabled = (script: ShellScript) => {
      let value = disabledByStage.get(script.stage);
      if (value === undefined) disabledByStage.set(script.stage, (value = recommendsDisabledInStage(ctx.scripts, script)));
      return value;
    };
    for (const script of ctx.scripts) {
      for (const cmd of script.commands) {
        if (!isAptGetInstall(cmd) || cmd.baseName === 'aptitude') continue;
        if (hasOption(cmd, '--no-install-recommends') || cmd.args.some((a) => /Install-Recommends\s*=\s*(false|0|no)/i.test(a.text))) continue;
        if (disabled(script)) continue;
        const sub = subcommand(cmd)!;
        ctx.report({
          message: '`apt-get install` without --no-install-recommends also installs recommended packages.',
          range: { start: cmd.nameRange.start, end: sub.range.end },
          fix: insertAfterWord(sub, ' --no-install-recommends', 'Add --no-install-recommends'),
        });
      }
    }
  },
});

export const aptInteractiveFrontend = defineRule({
  meta: {
    id: 'DEF307',
    slug: 'apt-interactive-frontend',
    group: 'shell',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`apt-get install` without `DEBIAN_FRONTEND=noninteractive`: some packages prompt.',
    description: [
      'Packages such as `tzdata` or `keyboard-configuration` ask questions through debconf while they',
      'are configured. With no terminal the build stalls or aborts. Export',
      '`DEBIAN_FRONTEND=noninteractive` before installing (a plain assignment without `export` does',
      'not reach apt-get), or prefix the command with it.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get install -y tzdata\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    export DEBIAN_FRONTEND=noninteractive\n    apt-get update\n    apt-get install -y tzdata\n',
    source: 'AP-MPI example (sets it); common HPC build failure',
    needsShell: true,
    fixKind: 'safe',
  },
  check(ctx) {
    // DEBIAN_FRONTEND assignments of each stage's build scripts, in script order (computed once
    // per stage, not once per script: a file with many %post sections stays linear).
    const frontendByStage = new Map<ShellScript['stage'], ShellAssignment[]>();
    for (const s of ctx.scripts) {
      if (!isBuildSection(s.section)) continue;
      let list = frontendByStage.get(s.stage);
      if (!list) frontendByStage.set(s.stage, (list = []));
      for (const a of shellDetails(s).assignments) if (a.name === 'DEBIAN_FRONTEND') list.push(a);
    }
    for (const script of ctx.scripts) {
      if (!isBuildSection(script.section)) continue;
      // Duplicate %post sections and %appinstall run as one script: earlier ones count too.
      const assignments = frontendByStage.get(script.stage) ?? [];
      const exported = (offset: number) => {
        if (assignments.length === 0) return false;
        const before = assignments.filter((a) => a.range.start.offset < offset);
        const value = before.filter((a) => a.value !== '').pop()?.value;
        return value === 'noninteractive' && before.some((a) => a.exported);
      };
      for (const cmd of script.commands) {
        if (!isAptGetInstall(cmd)) continue;
        if (cmd.assignments.some((a) => a.name === 'DEBIAN_FRONTEND')) continue;
        if (exported(cmd.range.start.offset)) continue;
        ctx.report({
          message: '`apt-get install` runs without DEBIAN_FRONTEND=noninteractive: packages that ask questions (tzdata, ...) stall or abort the build.',
          range: { start: cmd.nameRange.start, end: (subcommand(cmd) ?? cmd).range.end },
          fix: insertLineAtBodyStart(ctx.file, script.section, 'export DEBIAN_FRONTEND=noninteractive', 'Export DEBIAN_FRONTEND=noninteractive at the top of the script'),
        });
        break; // one export at the top fixes the whole section
      }
    }
  },
});

const APT_GET_SUBCOMMANDS = ['install', 'update', 'upgrade', 'dist-upgrade', 'full-upgrade', 'remove', 'purge', 'autoremove', 'autoclean', 'clean', 'reinstall'];

export const useAptGet = defineRule({
  meta: {
    id: 'DEF308',
    slug: 'use-apt-get',
    group: 'shell',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'Use `apt-get` rather than `apt` in scripts.',
    description: [
      '`apt` is the interactive front end: its output and options may change between releases and it',
      'warns "apt does not have a stable CLI interface". Scripts should use `apt-get` (and',
      '`apt-cache` for queries).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: debian:12\n\n%post\n    apt update\n    apt-get install -y --no-install-recommends curl\n',
    good: 'Bootstrap: docker\nFrom: debian:12\n\n%post\n    apt-get update\n    apt-get install -y --no-install-recommends curl\n',
    source: 'HL DL3027',
    needsShell: true,
    fixKind: 'safe',
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      if (isEnvironmentSection(script.section)) continue;
      for (const cmd of script.commands) {
        if (cmd.baseName !== 'apt' || !isAptGet(cmd, ...APT_GET_SUBCOMMANDS)) continue;
        const nameEnd = cmd.nameRange.end;
        ctx.report({
          message: 'Use `apt-get` in scripts: `apt` is meant for people and has no stable command-line interface.',
          range: cmd.nameRange,
          fix: { description: 'Replace apt with apt-get', edits: [{ start: nameEnd.offset - 3, end: nameEnd.offset, text: 'apt-get' }] },
        });
      }
    }
  },
});
