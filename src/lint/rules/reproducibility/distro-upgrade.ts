// DEF407 distro-upgrade: Whole-system upgrades (`apt-get upgrade`, `dnf update`, `zypper dup`) make content depend on the build date.
import { isAptGet, isApk, isDnf, isOsPackageManager, isYum, isZypper, packageManager, positionalArgs, subcommand } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';

export const distroUpgrade = defineRule({
  create: (ctx) => ({
    command(cmd) {
      // Only the distribution's package managers upgrade the system: one kept answer first, before
      // the checks below spread their subcommands into arguments (an array each) for every command.
      if (!isOsPackageManager(packageManager(cmd))) return;
      const sub = subcommand(cmd);
      if (!sub) return;
      const wholeSystem =
        isAptGet(cmd, 'upgrade', 'dist-upgrade', 'full-upgrade') ||
        ((isYum(cmd, 'update', 'upgrade', 'distro-sync') || isDnf(cmd, 'update', 'upgrade', 'distro-sync')) &&
          positionalArgs(cmd.args, ['-c', '-x', '--exclude', '--setopt', '--enablerepo', '--disablerepo']).length === 1) ||
        (isZypper(cmd, 'dup', 'dist-upgrade', 'update', 'up') && positionalArgs(cmd.args, ['-r', '--repo']).length === 1) ||
        (isApk(cmd, 'upgrade') && positionalArgs(cmd.args).length === 1);
      if (!wholeSystem) return;
      ctx.report({
        messageId: 'upgradesEveryPackageImage',
        data: { baseName: cmd.baseName, sub: sub.text },
        range: { start: cmd.nameRange.start, end: sub.range.end },
      });
    },
  }),
  meta: {
    id: 'DEF407',
    slug: 'distro-upgrade',
    group: 'reproducibility',
    scope: 'section',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'Whole-system upgrades (`apt-get upgrade`, `dnf update`, `zypper dup`) make content depend on the build date.',
    description: [
      'Upgrading every package means the image content depends on when it was built, not on the',
      'definition file. Prefer a newer, pinned base image, and upgrade single packages by name when',
      'a fix is needed.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get -y upgrade\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get install -y --no-install-recommends --only-upgrade openssl\n',
    source: 'DFL apt-get-upgrade; HL DL3035',
    needsShell: true,
    messages: {
      upgradesEveryPackageImage: '`{{ baseName }} {{ sub }}` upgrades every package: the image content depends on the build date.',
    },
  },
});
