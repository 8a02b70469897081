// DEF309: yum/dnf/zypper/conda commands that would wait for a confirmation.
import { hasAnyFlag, isConda, isDnf, isEnvironmentSection, isYum, isZypper, packageManager, subcommand } from '../../shell/index.js';
import type { Fix, ShellCommand } from '../../types.js';
import { insertAfterWord } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';

export const pkgManagerNoninteractive = defineRule({
  create: (ctx) => ({
    command(cmd, script) {
      if (isEnvironmentSection(script.section)) return;
      const missing = missingConfirmation(cmd);
      if (!missing) return;
      const sub = subcommand(cmd)!;
      ctx.report({
        messageId: 'withoutAsksConfirmationWhich',
        data: { baseName: cmd.baseName, sub: sub.text, flag: missing.flag },
        range: { start: cmd.nameRange.start, end: sub.range.end },
        fix: missing.fix,
      });
    },
  }),
  meta: {
    id: 'DEF309',
    slug: 'pkg-manager-noninteractive',
    group: 'shell',
    scope: 'section',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: '`yum`/`dnf install` without `-y`, `zypper` without `-n`, `conda install` without `-y`.',
    description: [
      'These package managers ask for confirmation before changing the system. A build has no',
      'terminal, so the question reads end-of-file and the command aborts, failing the build.',
      'Use `yum -y`/`dnf -y`, `zypper -n` (`--non-interactive`, before the subcommand) and',
      '`conda ... -y`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: rockylinux:9\n\n%post\n    dnf install gcc\n',
    good: 'Bootstrap: docker\nFrom: rockylinux:9\n\n%post\n    dnf install -y gcc\n',
    source: 'HL DL3030, DL3038, DL3034',
    needsShell: true,
    fixKind: 'safe',
    messages: {
      withoutAsksConfirmationWhich: '`{{ baseName }} {{ sub }}` without {{ flag }} asks for confirmation, which a build cannot give.',
    },
  },
});

const RPM_PROMPTING = [
  'install',
  'groupinstall',
  'localinstall',
  'reinstall',
  'update',
  'upgrade',
  'remove',
  'erase',
  'autoremove',
  'downgrade',
  'distro-sync',
  'group',
  'module',
];
const ZYPPER_PROMPTING = ['install', 'in', 'update', 'up', 'remove', 'rm', 'dist-upgrade', 'dup', 'patch', 'source-install', 'si'];
const CONDA_PROMPTING = ['install', 'create', 'update', 'upgrade', 'remove', 'uninstall'];

function fedByYes(cmd: ShellCommand): boolean {
  const p = cmd.pipeline;
  return !!p && p.commands.some((c) => c.baseName === 'yes' && (c.pipeline?.index ?? 0) < p.index);
}

/** What is missing and how to add it, or undefined when the command does not prompt. */
function missingConfirmation(cmd: ShellCommand): { flag: string; fix: Fix } | undefined {
  // Most commands are none of these managers: one kept answer first, before the checks below
  // spread their subcommand lists into arguments (an array each) for every command.
  const manager = packageManager(cmd);
  if (manager !== 'yum' && manager !== 'dnf' && manager !== 'zypper' && manager !== 'conda') return undefined;
  if (fedByYes(cmd)) return undefined;
  const sub = subcommand(cmd);
  if (!sub) return undefined;
  if ((isYum(cmd, ...RPM_PROMPTING) || (isDnf(cmd, ...RPM_PROMPTING) && cmd.baseName !== 'microdnf')) && !hasAnyFlag(cmd, 'y', 'assumeyes')) {
    return { flag: '-y', fix: insertAfterWord(sub, ' -y', 'Add -y') };
  }
  if (isZypper(cmd, ...ZYPPER_PROMPTING) && !hasAnyFlag(cmd, 'n', 'non-interactive', 'y', 'no-confirm')) {
    return { flag: '-n', fix: insertAfterWord({ range: cmd.nameRange }, ' -n', 'Add -n (--non-interactive)') };
  }
  if (isConda(cmd, ...CONDA_PROMPTING) && cmd.baseName !== 'micromamba' && !hasAnyFlag(cmd, 'y', 'yes')) {
    return { flag: '-y', fix: insertAfterWord(sub, ' -y', 'Add -y') };
  }
  if (cmd.baseName === 'micromamba' && isConda(cmd, ...CONDA_PROMPTING) && !hasAnyFlag(cmd, 'y', 'yes')) {
    return { flag: '-y', fix: insertAfterWord(sub, ' -y', 'Add -y') };
  }
  return undefined;
}
