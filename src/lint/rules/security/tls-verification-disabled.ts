// DEF505 tls-verification-disabled: Certificate or signature checks turned off (`curl -k`, `--no-check-certificate`, `--nogpgcheck`, plain http).
import { isEnvironmentSection, shellDetails } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';
import { insecureWords } from '../../vocab/security-downloads.js';

export const tlsVerificationDisabled = defineRule({
  create: (ctx) => ({
    script(script) {
      if (isEnvironmentSection(script.section)) return;
      for (const heredoc of shellDetails(script).heredocs) {
        if (/^\s*gpgcheck\s*=\s*0\s*$|\[trusted=yes\]|^\s*sslverify\s*=\s*(0|false)\s*$/im.test(heredoc.content)) {
          ctx.report({ messageId: 'insecureRepositoryConfiguredWithout', range: heredoc.range });
        }
      }
      for (const a of shellDetails(script).assignments) {
        if (
          a.name === 'PIP_TRUSTED_HOST' ||
          (a.name === 'GIT_SSL_NO_VERIFY' && a.value !== '' && a.value !== '0') ||
          (a.name === 'PYTHONHTTPSVERIFY' && a.value === '0')
        ) {
          ctx.report({ messageId: 'insecureTurnsOffCertificate', data: { name: a.name }, range: a.range });
        }
      }
    },
    command(cmd, script) {
      if (isEnvironmentSection(script.section)) return;
      for (const { word, what } of insecureWords(cmd)) ctx.report({ messageId: 'insecure', data: { what }, range: word.range });
    },
  }),
  meta: {
    id: 'DEF505',
    slug: 'tls-verification-disabled',
    group: 'security',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended', 'security'],
    summary: 'Certificate or signature checks turned off (`curl -k`, `--no-check-certificate`, `--nogpgcheck`, plain http).',
    description: [
      'Turning off TLS certificate checks or package signature checks lets anyone between the build',
      'host and the server replace what gets installed. Plain `http://` downloads have the same',
      'problem. Fix the certificate store (`ca-certificates`), import the repository key, and use',
      'https.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    curl -kfsSLO https://example.org/tool-1.0.tar.gz\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    curl -fsSLO https://example.org/tool-1.0.tar.gz\n',
    source: 'hardening practice',
    needsShell: true,
    messages: {
      insecure: 'Insecure: {{ what }}.',
      insecureRepositoryConfiguredWithout: 'Insecure: a repository is configured without signature or certificate checks.',
      insecureTurnsOffCertificate: 'Insecure: {{ name }} turns off certificate checks.',
    },
  },
});
