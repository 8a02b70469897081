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

/** The final stages' build scripts, in file order, per stage (shared by the rules: do not change). */
export function finalStageCommands(ctx: RuleContext): readonly FinalStage[] {
  return finalStageCommandsOf.of(ctx.scripts, ctx.file);
}

export interface FinalStage {
  stage: Stage;
  /** The stage's build scripts, in file order. */
  scripts: readonly ShellScript[];
}

// Three rules walk the same list: it is built once per lint. (Each rule reads the scripts'
// commands through a PerCommands fact, so no list of every command is made here.)
const finalStageCommandsOf = new PerLint((scripts, file: ParsedFile) => {
  const byStage = new Map<Stage, ShellScript[]>();
  for (const script of scripts) {
    if (!isBuildSection(script.section) || !isFinalStage(file, script.stage)) continue;
    let stageScripts = byStage.get(script.stage);
    if (!stageScripts) byStage.set(script.stage, (stageScripts = []));
    stageScripts.push(script);
  }
  return [...byStage].map(([stage, stageScripts]): FinalStage => ({ stage, scripts: stageScripts }));
});

/**
 * The last command of a stage's scripts (by offset; of two at one offset, the later in file order)
 * that `pick` gives, with its script: `pick` reads one script's commands, and is kept per
 * commands array (see PerCommands).
 */
export function lastOfStage(scripts: readonly ShellScript[], pick: (script: ShellScript) => ShellCommand | undefined): [ShellCommand, ShellScript] | undefined {
  let last: [ShellCommand, ShellScript] | undefined;
  for (const script of scripts) {
    const cmd = pick(script);
    if (cmd && (!last || cmd.range.start.offset >= last[0].range.start.offset)) last = [cmd, script];
  }
  return last;
}

/** The last of `commands` (by offset; the later one at equal offsets) for which `test` holds. */
export function lastWhere(commands: readonly ShellCommand[], test: (cmd: ShellCommand) => boolean): ShellCommand | undefined {
  let last: ShellCommand | undefined;
  for (const cmd of commands) if ((!last || cmd.range.start.offset >= last.range.start.offset) && test(cmd)) last = cmd;
  return last;
}

/** The start offset of the last of `commands` for which `test` holds, -1 when none does. */
export function lastOffsetWhere(commands: readonly ShellCommand[], test: (cmd: ShellCommand) => boolean): number {
  let last = -1;
  for (const cmd of commands) if (cmd.range.start.offset > last && test(cmd)) last = cmd.range.start.offset;
  return last;
}

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
