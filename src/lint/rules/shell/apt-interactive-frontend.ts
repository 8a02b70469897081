// DEF307 apt-interactive-frontend: `apt-get install` without `DEBIAN_FRONTEND=noninteractive`: some packages prompt.
import { isAptGetInstall, isBuildSection, shellDetails, subcommand, type ShellAssignment } from '../../shell/index.js';
import type { ShellScript } from '../../types.js';
import { insertLineAtBodyStart } from '../../vocab/fixes.js';
import { PerCommands } from '../../vocab/lint-memo.js';
import { exportedBefore, frontendAssignments, type FrontendAssignments } from '../../vocab/shell-apt.js';
import { defineRule } from '../../define-rule.js';

export const aptInteractiveFrontend = defineRule({
  create(ctx) {
    // Built when a script first has an install to check (most files have none): both read every
    // build script of the file.
    let frontendByStage: Map<ShellScript['stage'], FrontendAssignments> | undefined;
    let debconfAt: Map<ShellScript['stage'], number> | undefined;
    return {
      // One export at the top fixes the whole section: one finding per script, at its first
      // `apt-get install` that runs interactively.
      script(script) {
        if (!isBuildSection(script.section)) return;
        for (const cmd of installsWithoutFrontend.of(script.commands)) {
          // Duplicate %post sections and %appinstall run as one script: earlier ones count too.
          frontendByStage ??= frontendAssignmentsByStage(ctx.scripts);
          if (exportedBefore(frontendByStage.get(script.stage), cmd.range.start.offset)) continue;
          debconfAt ??= debconfNoninteractiveAt(ctx.scripts);
          if ((debconfAt.get(script.stage) ?? Infinity) < cmd.range.start.offset) continue;
          ctx.report({
            messageId: 'aptGetInstallRuns',
            range: { start: cmd.nameRange.start, end: (subcommand(cmd) ?? cmd).range.end },
            fix: insertLineAtBodyStart(
              ctx.file,
              script.section,
              'export DEBIAN_FRONTEND=noninteractive',
              'Export DEBIAN_FRONTEND=noninteractive at the top of the script',
            ),
          });
          return;
        }
      },
    };
  },
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
    messages: {
      aptGetInstallRuns: '`apt-get install` runs without DEBIAN_FRONTEND=noninteractive: packages that ask questions (tzdata, ...) stall or abort the build.',
    },
  },
});

/** A script's `apt-get install`s without `DEBIAN_FRONTEND=` on the command, in order (kept per commands array). */
const installsWithoutFrontend = new PerCommands((commands) =>
  commands.filter((cmd) => isAptGetInstall(cmd) && !cmd.assignments.some((a) => a.name === 'DEBIAN_FRONTEND')),
);

/** `debconf debconf/frontend select Noninteractive` fed to debconf-set-selections. */
const NONINTERACTIVE_SELECTION = /debconf\/frontend\s+(select|string)\s+noninteractive/i;

/**
 * Per stage, where a build script first sets debconf's frontend to Noninteractive through
 * `debconf-set-selections` (from a pipe, a heredoc or a here-string): apt then asks nothing either.
 */
function debconfNoninteractiveAt(scripts: readonly ShellScript[]): Map<ShellScript['stage'], number> {
  const found = new Map<ShellScript['stage'], number>();
  for (const script of scripts) {
    if (!isBuildSection(script.section)) continue;
    const heredocs = shellDetails(script).heredocs;
    for (const cmd of script.commands) {
      if (cmd.baseName !== 'debconf-set-selections') continue;
      const fed = [
        ...(cmd.pipeline?.commands ?? []).flatMap((c) => c.args.map((a) => a.text)),
        ...heredocs.filter((h) => h.command === cmd).map((h) => h.content),
        ...cmd.redirects.map((r) => r.target),
      ];
      if (!fed.some((text) => NONINTERACTIVE_SELECTION.test(text))) continue;
      const at = found.get(script.stage);
      if (at === undefined || cmd.range.start.offset < at) found.set(script.stage, cmd.range.start.offset);
    }
  }
  return found;
}

/**
 * DEBIAN_FRONTEND assignments of each stage's build scripts, in script order (computed once per
 * stage, not once per script: a file with many %post sections stays linear), ready for
 * `exportedBefore`.
 */
function frontendAssignmentsByStage(scripts: readonly ShellScript[]): Map<ShellScript['stage'], FrontendAssignments> {
  const byStage = new Map<ShellScript['stage'], ShellAssignment[]>();
  for (const script of scripts) {
    if (!isBuildSection(script.section)) continue;
    let list = byStage.get(script.stage);
    if (!list) byStage.set(script.stage, (list = []));
    for (const a of shellDetails(script).assignments) if (a.name === 'DEBIAN_FRONTEND') list.push(a);
  }
  return new Map([...byStage].map(([stage, list]) => [stage, frontendAssignments(list)]));
}
