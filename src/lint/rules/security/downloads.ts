// DEF503, DEF504, DEF505: fetching code without verifying it.
import { hasAnyFlag, isCurlOrWget, isEnvironmentSection, pipArgs, pipesInto, runsAtBuild, shellDetails, urlArgs } from '../../shell/index.js';
import type { ShellCommand, ShellScript, ShellWord } from '../../types.js';
import { defineRule } from '../../define-rule.js';

const INTERPRETERS = ['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'python', 'python2', 'python3', 'perl', 'ruby', 'node'];

export const curlPipeShell = defineRule({
  meta: {
    id: 'DEF503',
    slug: 'curl-pipe-shell',
    group: 'security',
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
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      for (const cmd of script.commands) {
        if (isCurlOrWget(cmd) && pipesInto(cmd, ...INTERPRETERS)) {
          ctx.report({ message: `\`${cmd.baseName} ... | ${cmd.pipeline!.commands[cmd.pipeline!.commands.length - 1].baseName}\` runs downloaded code without verifying it.`, range: cmd.pipeline!.range });
        } else if (INTERPRETERS.includes(cmd.baseName) && cmd.args.some((a) => /(\$\(|<\(|`)\s*(curl|wget)\s/.test(a.raw))) {
          ctx.report({ message: `\`${cmd.baseName}\` runs code straight from a download without verifying it.`, range: cmd.range });
        }
      }
    }
  },
});

const ARTIFACT = /\.(tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|zip|run|bin|sh|deb|rpm|AppImage|jar|whl|exe|gz|xz|bz2)(\?.*)?$/i;
const VERIFIERS = new Set(['sha256sum', 'sha512sum', 'sha384sum', 'sha1sum', 'shasum', 'md5sum', 'b2sum', 'cosign', 'minisign', 'signify', 'rpm']);

function verifiesSomething(script: ShellScript): boolean {
  return script.commands.some((c) => VERIFIERS.has(c.baseName) || (/^gpgv?2?$/.test(c.baseName) && hasAnyFlag(c, 'verify')) || (c.baseName === 'openssl' && c.args[0]?.text === 'dgst'));
}

export const downloadWithoutChecksum = defineRule({
  meta: {
    id: 'DEF504',
    slug: 'download-without-checksum',
    group: 'security',
    defaultSeverity: 'info',
    presets: ['recommended', 'security'],
    summary: 'An archive or binary is downloaded and used with no checksum or signature check.',
    description: [
      'A download that is not verified can be swapped or corrupted without anyone noticing, and the',
      'image silently changes. Check a known digest (`echo "<sha256>  file" | sha256sum -c -`) or a',
      'signature (`gpg --verify`) in the same section.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    curl -fsSLO https://example.org/tool-1.0.tar.gz\n    tar -xzf tool-1.0.tar.gz -C /opt\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    curl -fsSLO https://example.org/tool-1.0.tar.gz\n    echo "4f9a3c0e1f7a2b5d6c8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9012345678a  tool-1.0.tar.gz" | sha256sum -c -\n    tar -xzf tool-1.0.tar.gz -C /opt\n',
    source: 'supply-chain practice',
    needsShell: true,
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      if (!runsAtBuild(script.section) || verifiesSomething(script)) continue;
      for (const cmd of script.commands) {
        if (!isCurlOrWget(cmd) || pipesInto(cmd, ...INTERPRETERS)) continue; // DEF503 covers pipes into shells
        const artifact = urlArgs(cmd).find((u) => ARTIFACT.test(u.text));
        if (!artifact) continue;
        ctx.report({ message: `${artifact.text} is downloaded without a checksum or signature check in this section.`, range: artifact.range });
      }
    }
  },
});

interface Insecure {
  word: ShellWord;
  what: string;
}

function insecureWords(cmd: ShellCommand): Insecure[] {
  const found: Insecure[] = [];
  const flag = (test: (w: ShellWord) => boolean, what: string) => {
    for (const w of cmd.args) if (w.isStatic && test(w)) found.push({ word: w, what });
  };
  if (cmd.baseName === 'curl') flag((w) => w.text === '--insecure' || /^-[a-zA-Z]*k[a-zA-Z]*$/.test(w.text), '`curl -k` skips TLS certificate checks');
  if (cmd.baseName === 'wget') flag((w) => w.text === '--no-check-certificate', '`wget --no-check-certificate` skips TLS certificate checks');
  if (pipArgs(cmd)) flag((w) => w.text === '--trusted-host' || w.text.startsWith('--trusted-host='), '`pip --trusted-host` accepts that host without a valid certificate');
  if (cmd.baseName === 'git') flag((w) => /^http\.sslVerify=(false|0|no)$/i.test(w.text), 'git `http.sslVerify=false` skips TLS certificate checks');
  if (cmd.baseName === 'git' && cmd.args.some((a) => /^http\.sslverify$/i.test(a.text))) flag((w) => /^(false|0|no)$/i.test(w.text), 'git `http.sslVerify false` skips TLS certificate checks');
  flag((w) => ['--allow-unauthenticated', '--allow-insecure-repositories', '--force-yes'].includes(w.text), 'unauthenticated packages are accepted');
  flag((w) => /AllowUnauthenticated|AllowInsecureRepositories|Verify-Peer\s*=?\s*"?false/i.test(w.text) && /=\s*"?(true|1|yes|false)/i.test(w.text), 'apt signature or certificate checks are turned off');
  flag((w) => w.text === '--nogpgcheck' || /^--setopt=(\w+\.)?gpgcheck=(0|false|no)$/.test(w.text), 'package signatures are not checked');
  flag((w) => /gpgcheck\s*=\s*0|\[trusted=yes\]|sslverify\s*=\s*(0|false)/i.test(w.text), 'a repository is configured without signature or certificate checks');
  if (['conda', 'mamba', 'micromamba'].includes(cmd.baseName)) flag((w) => w.text === '--insecure' || w.text === '-k', 'conda skips TLS certificate checks');
  if (['npm', 'yarn'].includes(cmd.baseName) && cmd.args.some((a) => a.text === 'strict-ssl')) flag((w) => w.text === 'false', 'npm `strict-ssl false` skips TLS certificate checks');
  if (isCurlOrWget(cmd)) {
    for (const u of urlArgs(cmd)) {
      if (/^http:\/\/(?!(localhost|127\.0\.0\.1)[:/])/.test(u.text.replace(/^--url=/, ''))) found.push({ word: u, what: 'a plain http:// download can be altered in transit' });
    }
  }
  return found;
}

export const tlsVerificationDisabled = defineRule({
  meta: {
    id: 'DEF505',
    slug: 'tls-verification-disabled',
    group: 'security',
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
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      if (isEnvironmentSection(script.section)) continue;
      for (const cmd of script.commands) {
        for (const { word, what } of insecureWords(cmd)) ctx.report({ message: `Insecure: ${what}.`, range: word.range });
      }
      for (const heredoc of shellDetails(script).heredocs) {
        if (/^\s*gpgcheck\s*=\s*0\s*$|\[trusted=yes\]|^\s*sslverify\s*=\s*(0|false)\s*$/im.test(heredoc.content)) {
          ctx.report({ message: 'Insecure: a repository is configured without signature or certificate checks.', range: heredoc.range });
        }
      }
      for (const a of shellDetails(script).assignments) {
        if (a.name === 'PIP_TRUSTED_HOST' || (a.name === 'GIT_SSL_NO_VERIFY' && a.value !== '' && a.value !== '0') || (a.name === 'PYTHONHTTPSVERIFY' && a.value === '0')) {
          ctx.report({ message: `Insecure: ${a.name} turns off certificate checks.`, range: a.range });
        }
      }
    }
  },
});
