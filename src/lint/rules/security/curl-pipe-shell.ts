// DEF503 curl-pipe-shell: `curl ... | sh`: remote code runs at build time without any check.
import { isCurlOrWget, pipesInto } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';
import { INTERPRETERS } from '../../vocab/security-downloads.js';

export const curlPipeShell = defineRule({
  create: (ctx) => ({
    command(cmd) {
      if (isCurlOrWget(cmd) && pipesInto(cmd, ...INTERPRETERS)) {
        ctx.report({
          messageId: 'runsDownloadedCodeWithout',
          data: { fetcher: cmd.baseName, shell: cmd.pipeline!.commands[cmd.pipeline!.commands.length - 1].baseName },
          range: cmd.pipeline!.range,
        });
      } else if (INTERPRETERS.includes(cmd.baseName) && cmd.args.some((a) => /(\$\(|<\(|`)\s*(curl|wget)\s/.test(a.raw))) {
        ctx.report({ messageId: 'runsCodeStraightFrom', data: { baseName: cmd.baseName }, range: cmd.range });
      }
    },
  }),
  meta: {
    id: 'DEF503',
    slug: 'curl-pipe-shell',
    group: 'security',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended', 'security'],
    summary: '`curl ... | sh`: remote code runs at build time without any check.',
    description: [
      'Piping a download into a shell or interpreter runs whatever the server (or anyone in between)',
      'sends, and a truncated download runs half a script. Download to a file, verify a checksum or',
      'signature, then run it.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    curl -fsSL https://example.org/install.sh | sh\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    curl -fsSLo /opt/install.sh https://example.org/v1.2/install.sh\n    echo "4f9a3c0e1f7a2b5d6c8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9012345678a  /opt/install.sh" | sha256sum -c -\n    sh /opt/install.sh\n',
    source: 'supply-chain practice',
    needsShell: true,
    messages: {
      runsDownloadedCodeWithout: '`{{ fetcher }} ... | {{ shell }}` runs downloaded code without verifying it.',
      runsCodeStraightFrom: '`{{ baseName }}` runs code straight from a download without verifying it.',
    },
  },
});
