// DEF608 noisy-downloads: `wget` without `-q`/`--progress=dot:giga`, `curl` without `-sS`: progress bars flood the build log.
import { hasAnyFlag, isBuildSection, pipesInto } from '../../shell/index.js';
import { insertFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';

export const noisyDownloads = defineRule({
  create: (ctx) => ({
    command(cmd, script) {
      if (!isBuildSection(script.section)) return;
      if (
        cmd.baseName === 'wget' &&
        !hasAnyFlag(cmd, 'q', 'quiet', 'nv', '-nv', 'no-verbose', 'progress', 'o', 'output-file', 'a', 'append-output', 'spider')
      ) {
        ctx.report({
          messageId: 'wgetPrintsProgressBar',
          range: cmd.nameRange,
          fix: insertFix('Add --progress=dot:giga', cmd.nameRange.end.offset, ' --progress=dot:giga'),
        });
      } else if (
        cmd.baseName === 'curl' &&
        !hasAnyFlag(cmd, 's', 'silent', 'no-progress-meter', '#', 'progress-bar') &&
        (hasAnyFlag(cmd, 'o', 'O', 'output', 'remote-name') ||
          pipesInto(cmd, 'tar', 'sh', 'bash', 'gunzip', 'bzip2', 'xz', 'zcat', 'python', 'python3', 'tee', 'gpg', 'apt-key'))
      ) {
        ctx.report({
          messageId: 'curlPrintsProgressMeter',
          range: cmd.nameRange,
          fix: insertFix('Add -sS', cmd.nameRange.end.offset, ' -sS'),
        });
      }
    },
  }),
  meta: {
    id: 'DEF608',
    slug: 'noisy-downloads',
    group: 'size',
    scope: 'section',
    defaultSeverity: 'style',
    presets: ['recommended'],
    summary: '`wget` without `-q`/`--progress=dot:giga`, `curl` without `-sS`: progress bars flood the build log.',
    description: [
      'Without a terminal, download progress meters print thousands of lines into build logs. Use',
      '`wget -q` or `wget --progress=dot:giga`, and `curl -sS` (silent, but still shows errors).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    wget https://example.org/tool-1.0.tar.gz\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    wget -q https://example.org/tool-1.0.tar.gz\n',
    source: 'HL DL3047',
    needsShell: true,
    fixKind: 'safe',
    messages: {
      wgetPrintsProgressBar: '`wget` prints a progress bar into the build log; use -q or --progress=dot:giga.',
      curlPrintsProgressMeter: '`curl` prints a progress meter into the build log; use -sS.',
    },
  },
});
