// DEF306 apt-recommends: `apt-get install` without `--no-install-recommends` pulls in extra packages.
import { hasOption, isAptGetInstall, subcommand } from '../../shell/index.js';
import type { ShellScript } from '../../types.js';
import { insertAfterWord } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { recommendsDisabledInStage } from '../../vocab/shell-apt.js';

export const aptRecommends = defineRule({
  meta: {
    id: 'DEF306',
    slug: 'apt-recommends',
    group: 'shell',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`apt-get install` without `--no-install-recommends` pulls in extra packages.',
    description: [
      'By default apt also installs every "recommended" package, which often doubles the image size',
      '(documentation, X11 libraries, ...). Install what you need explicitly and pass',
      '`--no-install-recommends`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get install -y python3\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get install -y --no-install-recommends python3\n',
    source: 'HL DL3015; DFL',
    needsShell: true,
    fixKind: 'safe',
  },
  create(ctx) {
    const disabledByStage = new Map<ShellScript['stage'], boolean>();
    const disabled = (script: ShellScript) => {
      let value = disabledByStage.get(script.stage);
      if (value === undefined) disabledByStage.set(script.stage, (value = recommendsDisabledInStage(ctx.scripts, script)));
      return value;
    };
    return {
      command(cmd, script) {
        if (!isAptGetInstall(cmd) || cmd.baseName === 'aptitude') return;
        if (hasOption(cmd, '--no-install-recommends') || cmd.args.some((a) => /Install-Recommends\s*=\s*(false|0|no)/i.test(a.text))) return;
        if (disabled(script)) return;
        const sub = subcommand(cmd)!;
        ctx.report({
          message: '`apt-get install` without --no-install-recommends also installs recommended packages.',
          range: { start: cmd.nameRange.start, end: sub.range.end },
          fix: insertAfterWord(sub, ' --no-install-recommends', 'Add --no-install-recommends'),
        });
      },
    };
  },
});
