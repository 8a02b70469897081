// DEF316 pip-install-yes: `pip install -y`: pip has no `-y`, the build fails.
import { hasAnyFlag, isPipInstall, pipArgs } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';

export const pipInstallYes = defineRule({
  create: (ctx) => ({
    command(cmd) {
      if (!isPipInstall(cmd)) return;
      const args = pipArgs(cmd)!;
      if (!hasAnyFlag(args, 'y', 'yes')) return;
      const word = args.find((a) => a.text === '--yes' || /^-[A-Za-z]*y[A-Za-z]*$/.test(a.text))!;
      ctx.report({
        messageId: 'noYes',
        range: (word ?? cmd).range,
      });
    },
  }),
  meta: {
    id: 'DEF316',
    slug: 'pip-install-yes',
    group: 'shell',
    scope: 'section',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: '`pip install -y`: pip has no `-y` option and stops with "no such option: -y".',
    description: [
      '`pip install` never asks a question, and has no `-y`/`--yes` option: `pip install -y numpy` exits',
      'with `no such option: -y` and the build stops. (`pip uninstall -y` is valid.) Drop the `-y`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    pip install -y --no-cache-dir numpy==1.26.4\n',
    good: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    pip install --no-cache-dir numpy==1.26.4\n',
    source: 'pip documentation, `pip install` options (https://pip.pypa.io/en/stable/cli/pip_install/): no -y',
    needsShell: true,
    messages: {
      noYes: '`pip install` has no -y option: pip stops with "no such option: -y" and the build fails. Drop it.',
    },
  },
});
