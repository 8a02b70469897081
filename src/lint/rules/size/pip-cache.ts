// DEF603 pip-cache: `pip install` without `--no-cache-dir`.
import { hasAnyFlag, hasOption, isEnvironmentSection, isPipInstall, optionValue, pipArgs, shellDetails, subcommand } from '../../shell/index.js';
import { insertAfterWord } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import type { ShellCommand, ShellWord } from '../../types.js';
import { scriptsOfStage } from '../../vocab/shell-tree.js';
import { PerCommands } from '../../vocab/lint-memo.js';
import { finalStageCommands, lastOffsetWhere, removes, FINAL_STAGE_NOTE } from '../../vocab/size-package-caches.js';

export const pipCache = defineRule({
  check(ctx) {
    for (const { stage, scripts } of finalStageCommands(ctx)) {
      // Where a build script first exports PIP_NO_CACHE_DIR (%environment is not applied during the build).
      let envOffAt = Infinity;
      let uvEnvOffAt = Infinity;
      for (const s of scriptsOfStage(ctx.scripts, stage)) {
        if (isEnvironmentSection(s.section)) continue;
        for (const a of shellDetails(s).assignments) {
          if (!a.exported) continue;
          if (a.name === 'PIP_NO_CACHE_DIR') envOffAt = Math.min(envOffAt, a.range.start.offset);
          if (a.name === 'UV_NO_CACHE' || (a.name === 'UV_CACHE_DIR' && NOT_KEPT.test(a.value))) uvEnvOffAt = Math.min(uvEnvOffAt, a.range.start.offset);
        }
      }
      // Where the stage's last purges start, and its installs that keep a cache (per script, kept
      // per commands array: after an edit only the changed sections are read again).
      const facts = scripts.map((s) => pipFacts.of(s.commands));
      let lastPurge = -1;
      let lastUvPurge = -1;
      for (const f of facts) {
        lastPurge = Math.max(lastPurge, f.purge);
        lastUvPurge = Math.max(lastUvPurge, f.uvPurge);
      }
      for (const { uv: uvInstalls, pip } of facts) {
        for (const [cmd, uv] of uvInstalls) {
          const at = cmd.range.start.offset;
          if (lastUvPurge > at || uvEnvOffAt < at) continue;
          ctx.report({
            messageId: 'uvKeepsCache',
            data: { command: cmd.args[0] === uv ? `uv ${uv.text}` : `uv ${cmd.args[0].text} ${uv.text}` },
            range: { start: cmd.nameRange.start, end: uv.range.end },
            fix: insertAfterWord(uv, ' --no-cache', 'Add --no-cache'),
          });
        }
        for (const cmd of pip) {
          if (lastPurge > cmd.range.start.offset || envOffAt < cmd.range.start.offset) continue;
          const install = subcommand(cmd)!;
          ctx.report({
            messageId: 'pipInstallWithoutNo',
            range: { start: cmd.nameRange.start, end: install.range.end },
            fix: insertAfterWord(install, ' --no-cache-dir', 'Add --no-cache-dir'),
          });
        }
      }
    }
  },
  meta: {
    id: 'DEF603',
    slug: 'pip-cache',
    group: 'size',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`pip install` without `--no-cache-dir`; `uv` installs that keep their cache.',
    description: [
      'pip keeps every downloaded wheel in `~/.cache/pip` (here `/root/.cache/pip`), which ends up in',
      'the image. Pass `--no-cache-dir`, set `PIP_NO_CACHE_DIR=1`, or run `pip cache purge` afterwards.',
      '',
      'uv (`uv pip install`, `uv sync`, `uv add`, `uv tool install`) keeps its own cache in',
      '`~/.cache/uv` and does not read `PIP_NO_CACHE_DIR`: pass `--no-cache`, set `UV_NO_CACHE=1`,',
      'point `UV_CACHE_DIR` at `/tmp`, or run `uv cache clean` afterwards.',
      FINAL_STAGE_NOTE,
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    pip install numpy==1.26.4\n',
    good: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    pip install --no-cache-dir numpy==1.26.4\n',
    source:
      'HL DL3042; uv: https://docs.astral.sh/uv/concepts/cache/ (`--no-cache`, `UV_NO_CACHE`, `UV_CACHE_DIR`, `uv cache clean`), `--no-cache-dir` alias: https://github.com/astral-sh/uv/pull/1380',
    needsShell: true,
    fixKind: 'safe',
    messages: {
      pipInstallWithoutNo: '`pip install` without --no-cache-dir leaves its download cache in the image.',
      uvKeepsCache: '`{{ command }}` keeps its cache in /root/.cache/uv, which stays in the image. Add --no-cache (or set UV_NO_CACHE=1).',
    },
  },
});

/** What one script's commands say about pip's and uv's caches. */
interface PipFacts {
  /** Start of the last purge of pip's cache (-1: none). */
  purge: number;
  /** Start of the last purge of uv's cache (-1: none). */
  uvPurge: number;
  /** `uv` installs that keep their cache, with the install word. */
  uv: [ShellCommand, ShellWord][];
  /** `pip install`s without --no-cache-dir (or PIP_NO_CACHE_DIR on the command). */
  pip: ShellCommand[];
}

const pipFacts = new PerCommands((commands): PipFacts => {
  const facts: PipFacts = { purge: lastOffsetWhere(commands, purgesPipCache), uvPurge: lastOffsetWhere(commands, purgesUvCache), uv: [], pip: [] };
  for (const cmd of commands) {
    const uv = uvInstallWord(cmd);
    if (uv) {
      if (!uvCacheOff(cmd)) facts.uv.push([cmd, uv]);
      continue;
    }
    if (!isPipInstall(cmd) || cmd.assignments.some((a) => a.name === 'PIP_NO_CACHE_DIR')) continue;
    const args = pipArgs(cmd)!;
    if (hasOption(args, '--no-cache-dir') || hasAnyFlag(args, 'no-cache-dir')) continue;
    facts.pip.push(cmd);
  }
  return facts;
});

/** `pip cache purge`, or removing pip's cache folder. */
function purgesPipCache(cmd: ShellCommand): boolean {
  const args = pipArgs(cmd);
  if (cmd.baseName === 'uv') return false;
  return (args?.[0]?.text === 'cache' && args?.[1]?.text === 'purge') || removes(cmd, /(\/root|~|\$HOME|\$\{HOME\})\/\.cache(\/pip)?\/?(\*)?$/);
}

/** `uv cache clean` (`uv clean`), or removing uv's cache folder. */
function purgesUvCache(cmd: ShellCommand): boolean {
  if (cmd.baseName === 'uv') return (cmd.args[0]?.text === 'cache' && ['clean', 'prune'].includes(cmd.args[1]?.text ?? '')) || cmd.args[0]?.text === 'clean';
  return removes(cmd, /(\/root|~|\$HOME|\$\{HOME\})\/\.cache(\/uv)?\/?(\*)?$/);
}

/** uv commands that fill uv's cache: `uv pip install|sync`, `uv sync`, `uv add`, `uv tool install`, `uv venv --seed`. */
function uvInstallWord(cmd: ShellCommand): ShellWord | undefined {
  if (cmd.baseName !== 'uv') return undefined;
  const [first, second] = cmd.args;
  if (first?.text === 'pip') return ['install', 'sync'].includes(second?.text ?? '') ? second : undefined;
  if (first?.text === 'tool') return second?.text === 'install' ? second : undefined;
  return ['sync', 'add'].includes(first?.text ?? '') ? first : undefined;
}

/** `--no-cache` (`-n`, or pip's spelling, a hidden alias), or a cache directory that is not kept. */
function uvCacheOff(cmd: ShellCommand): boolean {
  if (hasAnyFlag(cmd, 'n', 'no-cache', 'no-cache-dir')) return true;
  const dir = optionValue(cmd, '--cache-dir') ?? cmd.assignments.find((a) => a.name === 'UV_CACHE_DIR')?.value;
  return cmd.assignments.some((a) => a.name === 'UV_NO_CACHE') || (dir !== undefined && NOT_KEPT.test(dir));
}

/** Cache directories that do not end up in the image (the host's /tmp is mounted there at build). */
const NOT_KEPT = /^['"]?\/(tmp|var\/tmp)(\/|$)/;
