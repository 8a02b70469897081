// DEF404 os-packages-unpinned: OS packages installed without versions (opt-in).
import { isOsPackageManager, packageManager, packagesInstalled, subcommand } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';
import { isFileOrUrl, osPackagePinned, reportUnpinned } from '../../vocab/reproducibility-packages.js';

export const osPackagesUnpinned = defineRule({
  create: (ctx) => ({
    command(cmd) {
      const manager = packageManager(cmd);
      if (!isOsPackageManager(manager)) return;
      const unpinned = packagesInstalled(cmd).filter((w) => w.isStatic && !isFileOrUrl(w) && !osPackagePinned(manager, w) && !w.text.startsWith('@'));
      reportUnpinned(ctx, unpinned, 'unpinned', `\`${cmd.baseName} ${subcommand(cmd)?.text}\` installs packages`);
    },
  }),
  meta: {
    id: 'DEF404',
    slug: 'os-packages-unpinned',
    group: 'reproducibility',
    scope: 'section',
    defaultSeverity: 'off',
    presets: [],
    summary: 'OS packages installed without versions (opt-in).',
    description: [
      '`apt-get install curl` installs whatever version the mirror has that day. Pinning',
      '(`curl=7.81.0-1ubuntu1.16`, `dnf install curl-7.76.1`, `apk add curl=8.5.0-r0`) makes builds',
      'repeatable, but pins break as soon as the mirror drops the old version, which is why this rule',
      'is off by default (it is the most-suppressed rule family of Dockerfile linters).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get install -y curl\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get install -y curl=7.81.0-1ubuntu1.16\n',
    source: 'HL DL3008/3018/3033/3037/3041; hadolint#19, #177, #345, #928; jupyter/docker-stacks#1100',
    needsShell: true,
    messages: {
      unpinned: '{{ what }} without a version: {{ names }}. Pin versions if builds must be repeatable.',
    },
  },
});
