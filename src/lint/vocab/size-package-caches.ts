// Shared by the size rules (DEF601, DEF602, DEF603: package manager caches left in the final image).
import type { ParsedFile, Stage } from '../../parse/model.js';
import {
  hasOption,
  isApkAdd,
  isBuildSection,
  isConda,
  isCondaInstall,
  isDnf,
  isDnfInstall,
  isYum,
  isYumInstall,
  isZypper,
  isZypperInstall,
  rmTargets,
  subcommand,
} from '../shell/index.js';
import type { Fix, RuleContext, ShellCommand, ShellScript } from '../types.js';
import { isFinalStage } from './shell-commands.js';
import { PerLint } from './lint-memo.js';
import { appendLineToSection, insertAfterWord } from './fixes.js';

/** Build-section commands of final-stage scripts, in file order, with their script (shared by the rules: do not change). */
export function finalStageCommands(ctx: RuleContext): readonly { stage: Stage; items: readonly (readonly [ShellCommand, ShellScript])[] }[] {
  return finalStageCommandsOf.of(ctx.scripts, ctx.file);
}

// Three rules walk the same list: it is built once per lint.
const finalStageCommandsOf = new PerLint((scripts, file: ParsedFile) => {
  const byStage = new Map<Stage, [ShellCommand, ShellScript][]>();
  for (const script of scripts) {
    if (!isBuildSection(script.section) || !isFinalStage(file, script.stage)) continue;
    const items = byStage.get(script.stage) ?? [];
    for (const cmd of script.commands) items.push([cmd, script]);
    byStage.set(script.stage, items);
  }
  return [...byStage].map(([stage, items]) => ({ stage, items: items.sort((a, b) => a[0].range.start.offset - b[0].range.start.offset) }));
});

export function removes(cmd: ShellCommand, path: RegExp): boolean {
  return rmTargets(cmd).some((t) => path.test(t.text));
}

export const FINAL_STAGE_NOTE = 'Only the final stage is checked: earlier stages of a multi-stage build are not kept.';

export interface CacheFamily {
  name: string;
  installs(cmd: ShellCommand): boolean;
  cleans(cmd: ShellCommand): boolean;
  fix(cmd: ShellCommand, script: ShellScript, ctx: RuleContext): Fix | undefined;
  advice: string;
}

export const FAMILIES: CacheFamily[] = [
  {
    name: 'yum/dnf',
    installs: (c) => isYumInstall(c) || isDnfInstall(c),
    cleans: (c) =>
      ((isYum(c, 'clean') || isDnf(c, 'clean')) && c.args.some((a) => a.text === 'all' || a.text === 'packages')) ||
      removes(c, /^\/var\/cache\/(yum|dnf)(\/\*?)?$/),
    fix: (c, s, ctx) =>
      appendLineToSection(
        ctx.file,
        s.section,
        `${c.baseName === 'yum' ? 'yum' : 'dnf'} clean all`,
        `Append \`${c.baseName === 'yum' ? 'yum' : 'dnf'} clean all\``,
      ),
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
    fix: (c, s, ctx) =>
      appendLineToSection(
        ctx.file,
        s.section,
        `${c.baseName === 'micromamba' ? 'micromamba clean -a -y' : `${c.name} clean -afy`}`,
        'Append a conda clean command',
      ),
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
