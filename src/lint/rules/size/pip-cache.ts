// DEF603 pip-cache: `pip install` without `--no-cache-dir`.
import { hasAnyFlag, hasOption, isEnvironmentSection, isPipInstall, pipArgs, shellDetails, subcommand } from '../../shell/index.js';
import { insertAfterWord } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import type { ShellCommand } from '../../types.js';
import { scriptsOfStage } from '../../vocab/shell-tree.js';
import { finalStageCommands, removes, FINAL_STAGE_NOTE } from '../../vocab/size-package-caches.js';

/** `pip cache purge`, or removing pip's cache folder. */
function purgesPipCache(cmd: ShellCommand): boolean {
  const args = pipArgs(cmd);
  return (args?.[0]?.text === 'cache' && args?.[1]?.text === 'purge') || removes(cmd, /(\/root|~|\$HOME|\$\{HOME\})\/\.cache(\/pip)?\/?(\*)?$/);
}

export const pipCache = defineRule({
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
    messages: {
      pipInstallWithoutNo: '`pip install` without --no-cache-dir leaves its download cache in the image.',
    },
  },
  check(ctx) {
    for (const { stage, items } of finalStageCommands(ctx)) {
      // Where a build script first exports PIP_NO_CACHE_DIR (%environment is not applied during the build).
      let envOffAt = Infinity;
      for (const s of scriptsOfStage(ctx.scripts, stage)) {
        if (isEnvironmentSection(s.section)) continue;
        for (const a of shellDetails(s).assignments) if (a.name === 'PIP_NO_CACHE_DIR' && a.exported) envOffAt = Math.min(envOffAt, a.range.start.offset);
      }
      // Where the stage's last purge starts: one pass, so the check per install is constant.
      let lastPurge = -1;
      for (const [c] of items) if (purgesPipCache(c)) lastPurge = Math.max(lastPurge, c.range.start.offset);
      for (const [cmd] of items) {
        if (!isPipInstall(cmd) || cmd.assignments.some((a) => a.name === 'PIP_NO_CACHE_DIR')) continue;
        const args = pipArgs(cmd)!;
        if (hasOption(args, '--no-cache-dir') || hasAnyFlag(args, 'no-cache-dir')) continue;
        if (lastPurge > cmd.range.start.offset || envOffAt < cmd.range.start.offset) continue;
        const install = subcommand(cmd)!;
        ctx.report({
          messageId: 'pipInstallWithoutNo',
          range: { start: cmd.nameRange.start, end: install.range.end },
          fix: insertAfterWord(install, ' --no-cache-dir', 'Add --no-cache-dir'),
        });
      }
    }
  },
});
