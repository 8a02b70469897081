// DEF306 apt-recommends: `apt-get install` without `--no-install-recommends` pulls in extra packages.
import { hasOption, isAptGetInstall, packagesInstalled, subcommand } from '../../shell/index.js';
import type { ShellScript } from '../../types.js';
import { defineRule } from '../../define-rule.js';
import { PerCommands } from '../../vocab/lint-memo.js';
import { certificatesInstalled, fetchesHttpsLater, recommendsDisabledInStage } from '../../vocab/shell-apt.js';

export const aptRecommends = defineRule({
  create(ctx) {
    const disabledByStage = new Map<ShellScript['stage'], boolean>();
    const disabled = (script: ShellScript) => {
      let value = disabledByStage.get(script.stage);
      if (value === undefined) disabledByStage.set(script.stage, (value = recommendsDisabledInStage(ctx.scripts, script)));
      return value;
    };
    return {
      script(script) {
        const installs = installsWithRecommends.of(script.commands);
        if (installs.length === 0 || disabled(script)) return;
        for (const cmd of installs) {
          const sub = subcommand(cmd)!;
          const packages = packagesInstalled(cmd);
          const last = packages[packages.length - 1];
          const addCertificates = last && fetchesHttpsLater(ctx.scripts, script, cmd) && !certificatesInstalled(ctx.scripts, script, cmd);
          const edits = [{ start: sub.range.end.offset, end: sub.range.end.offset, text: ' --no-install-recommends' }];
          if (addCertificates) edits.push({ start: last.range.end.offset, end: last.range.end.offset, text: ' ca-certificates' });
          ctx.report({
            messageId: 'aptGetInstallWithout',
            range: { start: cmd.nameRange.start, end: sub.range.end },
            // A suggestion, not a safe fix: recommended packages can be needed (wget, git and curl
            // only recommend ca-certificates, so HTTPS downloads fail without it).
            suggestions: [{ description: addCertificates ? 'Add --no-install-recommends and ca-certificates' : 'Add --no-install-recommends', edits }],
          });
        }
      },
    };
  },
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
      '`--no-install-recommends`. Offered as a suggestion, not applied by `--fix`: a recommended package',
      'can be one the build needs (wget, git and curl only recommend `ca-certificates`; without it',
      'HTTPS downloads fail). When the stage fetches `https://` after the install and no install adds',
      '`ca-certificates`, the suggestion adds it.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get install -y python3\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get install -y --no-install-recommends python3\n',
    source: 'HL DL3015; DFL',
    needsShell: true,
    fixKind: 'suggestion',
    messages: {
      aptGetInstallWithout: '`apt-get install` without --no-install-recommends also installs recommended packages.',
    },
  },
});

/** A script's `apt-get install`s that leave recommended packages on, in order (kept per commands array). */
const installsWithRecommends = new PerCommands((commands) =>
  commands.filter(
    (cmd) =>
      isAptGetInstall(cmd) &&
      cmd.baseName !== 'aptitude' &&
      !hasOption(cmd, '--no-install-recommends') &&
      !cmd.args.some((a) => /Install-Recommends\s*=\s*(false|0|no)/i.test(a.text)),
  ),
);
