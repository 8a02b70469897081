// DEF601, DEF602, DEF603: package manager caches left in the final image.
import type { Stage } from '../../../parse/model.js';
import {
  hasAnyFlag, hasOption, isAptGet, isApkAdd, isBuildSection, isConda, isCondaInstall, isDnf, isDnfInstall, isPipInstall, isYum, isYumInstall,
  isZypper, isZypperInstall, pipArgs, rmTargets, shellDetails, subcommand,
} from '../../shell/index.js';
import type { Fix, Rule, RuleContext, ShellCommand, ShellScript } from '../../types.js';
import { appendLineToSection, insertAfterWord, isFinalStage } from '../shell/helpers.js';
import { scriptsOfStage } from '../util/shell-tree.js';

/** Build-section commands of final-stage scripts, in file order, with their script. */
function finalStageCommands(ctx: RuleContext): { stage: Stage; items: [ShellCommand, ShellScript][] }[] {
  const byStage = new Map<Stage, [ShellCommand, ShellScript][]>();
  for (const script of ctx.scripts) {
    if (!isBuildSection(script.section) || !isFinalStage(ctx.file, script.stage)) continue;
    const items = byStage.get(script.stage) ?? [];
    for (const cmd of script.commands) items.push([cmd, script]);
    byStage.set(script.stage, items);
  }
  return [...byStage].map(([stage, items]) => ({ stage, items: items.sort((a, b) => a[0].range.start.offset - b[0].range.start.offset) }));
}

function removes(cmd: ShellCommand, path: RegExp): boolean {
  return rmTargets(cmd).some((t) => path.test(t.text));
}

const FINAL_STAGE_NOTE = 'Only the final stage is checked: earlier stages of a multi-stage build are not kept.';

export const aptListsNotRemoved: Rule = {
  meta: {
    id: 'DEF601',
    slug: 'apt-lists-not-removed',
    group: 'size',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`apt-get update` without `rm -rf /var/lib/apt/lists/*` later in the stage.',
    description: [
      'The package lists fetched by `apt-get update` take tens of megabytes and are useless in the',
      'finished image. Unlike a Dockerfile, a stage becomes one squashfs layer, so removing them',
      'anywhere later in the stage (any section) is enough.',
      FINAL_STAGE_NOTE,
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get install -y --no-install-recommends curl\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get install -y --no-install-recommends curl\n    rm -rf /var/lib/apt/lists/*\n',
    source: 'HL DL3009 (adapted); DFL apt-get_missing_rm',
    needsShell: true,
    fixKind: 'safe',
  },
  check(ctx) {
    for (const { items } of finalStageCommands(ctx)) {
      const updates = items.filter(([c]) => isAptGet(c, 'update'));
      const last = updates[updates.length - 1];
      if (!last) continue;
      const [update, script] = last;
      const cleaned = items.some(([c]) => c.range.start.offset > update.range.start.offset && (removes(c, /^\/var\/lib\/apt\/lists(\/\*?)?$/) || isAptGet(c, 'distclean', 'dist-clean')));
      if (cleaned) continue;
      ctx.report({
        message: '`apt-get update` leaves its package lists in the image; add `rm -rf /var/lib/apt/lists/*` after the installs.',
        range: update.range,
        fix: appendLineToSection(ctx.file, script.section, 'rm -rf /var/lib/apt/lists/*', 'Append `rm -rf /var/lib/apt/lists/*`'),
      });
    }
  },
};

interface CacheFamily {
  name: string;
  installs(cmd: ShellCommand): boolean;
  cleans(cmd: ShellCommand): boolean;
  fix(cmd: ShellCommand, script: ShellScript, ctx: RuleContext): Fix | undefined;
  advice: string;
}

const FAMILIES: CacheFamily[] = [
  {
    name: 'yum/dnf',
    installs: (c) => isYumInstall(c) || isDnfInstall(c),
    cleans: (c) => ((isYum(c, 'clean') || isDnf(c, 'clean')) && c.args.some((a) => a.text === 'all' || a.text === 'packages')) || removes(c, /^\/var\/cache\/(yum|dnf)(\/\*?)?$/),
    fix: (c, s, ctx) => appendLineToSection(ctx.file, s.section, `${c.baseName === 'yum' ? 'yum' : 'dnf'} clean all`, `Append \`${c.baseName === 'yum' ? 'yum' : 'dnf'} clean all\``),
    advice: 'run `dnf clean all` (or `yum clean all`) after installing',
  },
  {
    name: 'zypper',
    installs: isZypperInstall,
    cleans: (c) => isZypper(c, 'clean', 'cc') || removes(c, /^\/var\/cache\/zypp(\/\*?)?$/),
    fix: (_c, s, ctx) => appendLineToSection(ctx.file, s.section, 'zypper clean --all', 'Append `zypper clean --all`'),
    advice: 'run `zypper clean --all` after installing',
  },
  {
    name: 'apk',
    installs: (c) => isApkAdd(c) && !hasOption(c, '--no-cache'),
    cleans: (c) => removes(c, /^\/var\/cache\/apk(\/\*?)?$/) || (c.baseName === 'apk' && c.args[0]?.text === 'cache' && c.args[1]?.text === 'clean'),
    fix: (c) => insertAfterWord(subcommand(c)!, ' --no-cache', 'Add --no-cache'),
    advice: 'use `apk add --no-cache`',
  },
  {
    name: 'conda',
    installs: isCondaInstall,
    cleans: (c) => isConda(c, 'clean'),
    fix: (c, s, ctx) => appendLineToSection(ctx.file, s.section, `${c.baseName === 'micromamba' ? 'micromamba clean -a -y' : `${c.name} clean -afy`}`, 'Append a conda clean command'),
    advice: 'run `conda clean -afy` after installing',
  },
  {
    name: 'npm',
    installs: (c) => c.baseName === 'npm' && ['install', 'i', 'ci'].includes(c.args[0]?.text ?? ''),
    cleans: (c) => (c.baseName === 'npm' && c.args[0]?.text === 'cache' && c.args[1]?.text === 'clean') || removes(c, /\.npm(\/_cacache)?\/?(\*)?$/),
    fix: (_c, s, ctx) => appendLineToSection(ctx.file, s.section, 'npm cache clean --force', 'Append `npm cache clean --force`'),
    advice: 'run `npm cache clean --force` after installing',
  },
  {
    name: 'yarn',
    installs: (c) => c.baseName === 'yarn' && ['install', 'add', 'global'].includes(c.args[0]?.text ?? ''),
    cleans: (c) => c.baseName === 'yarn' && c.args[0]?.text === 'cache' && c.args[1]?.text === 'clean',
    fix: (_c, s, ctx) => appendLineToSection(ctx.file, s.section, 'yarn cache clean', 'Append `yarn cache clean`'),
    advice: 'run `yarn cache clean` after installing',
  },
];

export const pkgCacheNotCleaned: Rule = {
  meta: {
    id: 'DEF602',
    slug: 'pkg-cache-not-cleaned',
    group: 'size',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'yum/dnf/zypper/apk/conda/npm/yarn caches left in the image.',
    description: [
      'Package managers keep downloaded packages and metadata in caches that only make the image',
      'bigger: clean them in the same stage (`dnf clean all`, `zypper clean --all`, `apk add',
      '--no-cache`, `conda clean -afy`, `npm cache clean --force`, `yarn cache clean`).',
      FINAL_STAGE_NOTE,
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: rockylinux:9\n\n%post\n    dnf install -y gcc\n',
    good: 'Bootstrap: docker\nFrom: rockylinux:9\n\n%post\n    dnf install -y gcc\n    dnf clean all\n',
    source: 'HL DL3032/3036/3040/3019/3060',
    needsShell: true,
    fixKind: 'safe',
  },
  check(ctx) {
    for (const { items } of finalStageCommands(ctx)) {
      for (const family of FAMILIES) {
        const installs = items.filter(([c]) => family.installs(c));
        const last = installs[installs.length - 1];
        if (!last) continue;
        const [cmd, script] = last;
        if (items.some(([c]) => c.range.start.offset > cmd.range.start.offset && family.cleans(c))) continue;
        const sub = subcommand(cmd);
        ctx.report({
          message: `The ${family.name} cache stays in the image: ${family.advice}.`,
          range: { start: cmd.nameRange.start, end: (sub ?? cmd).range.end },
          fix: family.fix(cmd, script, ctx),
        });
      }
    }
  },
};

/** `pip cache purge`, or removing pip's cache folder. */
function purgesPipCache(cmd: ShellCommand): boolean {
  const args = pipArgs(cmd);
  return (args?.[0]?.text === 'cache' && args?.[1]?.text === 'purge') || removes(cmd, /(\/root|~|\$HOME|\$\{HOME\})\/\.cache(\/pip)?\/?(\*)?$/);
}

export const pipCache: Rule = {
  meta: {
    id: 'DEF603',
    slug: 'pip-cache',
    group: 'size',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`pip install` without `--no-cache-dir`.',
    description: [
      'pip keeps every downloaded wheel in `~/.cache/pip` (here `/root/.cache/pip`), which ends up in',
      'the image. Pass `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or run `pip cache purge` afterwards.',
      FINAL_STAGE_NOTE,
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    pip install numpy==1.26.4\n',
    good: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    pip install --no-cache-dir numpy==1.26.4\n',
    source: 'HL DL3042',
    needsShell: true,
    fixKind: 'safe',
  },
  check(ctx) {
    for (const { stage, items } of finalStageCommands(ctx)) {
      const envOff = scriptsOfStage(ctx.scripts, stage)
        .some((s) => shellDetails(s).assignments.some((a) => a.name === 'PIP_NO_CACHE_DIR') || s.commands.some((c) => c.assignments.some((a) => a.name === 'PIP_NO_CACHE_DIR')));
      if (envOff) continue;
      // Where the stage's last purge starts: one pass, so the check per install is constant.
      let lastPurge = -1;
      for (const [c] of items) if (purgesPipCache(c)) lastPurge = Math.max(lastPurge, c.range.start.offset);
      for (const [cmd] of items) {
        if (!isPipInstall(cmd) || cmd.assignments.some((a) => a.name === 'PIP_NO_CACHE_DIR')) continue;
        const args = pipArgs(cmd)!;
        if (hasOption(args, '--no-cache-dir') || hasAnyFlag(args, 'no-cache-dir')) continue;
        if (lastPurge > cmd.range.start.offset) continue;
        const install = subcommand(cmd)!;
        ctx.report({
          message: '`pip install` without --no-cache-dir leaves its download cache in the image.',
          range: { start: cmd.nameRange.start, end: install.range.end },
          fix: insertAfterWord(install, ' --no-cache-dir', 'Add --no-cache-dir'),
        });
      }
    }
  },
};
