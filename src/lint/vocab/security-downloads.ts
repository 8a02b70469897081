// Shared by the security rules (DEF503, DEF504, DEF505: fetching code without verifying it).
import { hasAnyFlag, isCurlOrWget, optionValue, pipArgs, urlArgs } from '../shell/index.js';
import type { ShellCommand, ShellScript, ShellWord } from '../types.js';

export const INTERPRETERS = ['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash', 'python', 'python2', 'python3', 'perl', 'ruby', 'node'];

export const ARTIFACT = /\.(tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|zip|run|bin|sh|deb|rpm|AppImage|jar|whl|exe|gz|xz|bz2)(\?.*)?$/i;
export const VERIFIERS = new Set(['sha256sum', 'sha512sum', 'sha384sum', 'sha1sum', 'shasum', 'md5sum', 'b2sum', 'cosign', 'minisign', 'signify', 'rpm']);

export function verifiesSomething(script: ShellScript): boolean {
  return script.commands.some(isVerifier);
}

/** A checksum or signature check. `rpm` only with -K/--checksig (`rpm -i` installs, checks nothing of a download). */
export function isVerifier(c: ShellCommand): boolean {
  if (c.baseName === 'rpm') return hasAnyFlag(c, 'K', 'checksig');
  return VERIFIERS.has(c.baseName) || (/^gpgv?2?$/.test(c.baseName) && hasAnyFlag(c, 'verify')) || (c.baseName === 'openssl' && c.args[0]?.text === 'dgst');
}

/**
 * Whether a check after the download covers it: it names the file (in its arguments, its pipe or
 * here-string), reads a checksum list (`sha256sum -c SHA256SUMS`), or names it through a variable.
 */
export function verifiedLater(script: ShellScript, download: ShellCommand, fileName: string): boolean {
  return script.commands.some((c) => {
    if (c.range.start.offset <= download.range.start.offset || !isVerifier(c)) return false;
    const texts = [...(c.pipeline?.commands ?? [c]).flatMap((p) => p.args.map((a) => a.raw)), ...c.redirects.map((r) => r.target)];
    if (texts.some((t) => t.includes(fileName) || t.includes('$'))) return true;
    const list = optionValue(c, '-c') ?? optionValue(c, '--check');
    return list !== undefined && list !== '-';
  });
}

export interface Insecure {
  word: ShellWord;
  what: string;
}

/** Contained (case aside) in every word the manager-independent checks of insecureWords() match. */
const ANY_MANAGER_MARK = /allow|force-yes|gpgcheck|trusted=yes|sslverify|verify-peer/i;
const UNAUTHENTICATED_OPTIONS = new Set(['--allow-unauthenticated', '--allow-insecure-repositories', '--force-yes']);
const CONDA_NAMES = new Set(['conda', 'mamba', 'micromamba']);

export function insecureWords(cmd: ShellCommand): Insecure[] {
  const found: Insecure[] = [];
  const flag = (test: (w: ShellWord) => boolean, what: string) => {
    for (const w of cmd.args) if (w.isStatic && test(w)) found.push({ word: w, what });
  };
  if (cmd.baseName === 'curl') flag((w) => w.text === '--insecure' || /^-[a-zA-Z]*k[a-zA-Z]*$/.test(w.text), '`curl -k` skips TLS certificate checks');
  if (cmd.baseName === 'wget') flag((w) => w.text === '--no-check-certificate', '`wget --no-check-certificate` skips TLS certificate checks');
  if (pipArgs(cmd))
    flag((w) => w.text === '--trusted-host' || w.text.startsWith('--trusted-host='), '`pip --trusted-host` accepts that host without a valid certificate');
  if (cmd.baseName === 'git') flag((w) => /^http\.sslVerify=(false|0|no)$/i.test(w.text), 'git `http.sslVerify=false` skips TLS certificate checks');
  if (cmd.baseName === 'git' && cmd.args.some((a) => /^http\.sslverify$/i.test(a.text)))
    flag((w) => /^(false|0|no)$/i.test(w.text), 'git `http.sslVerify false` skips TLS certificate checks');
  // The checks for every command's words: only a word with one of these marks can match any of
  // them, and most commands have none (one test per word instead of four passes).
  if (cmd.args.some((w) => w.isStatic && ANY_MANAGER_MARK.test(w.text))) {
    flag((w) => UNAUTHENTICATED_OPTIONS.has(w.text), 'unauthenticated packages are accepted');
    flag(
      (w) => /AllowUnauthenticated|AllowInsecureRepositories|Verify-Peer\s*=?\s*"?false/i.test(w.text) && /=\s*"?(true|1|yes|false)/i.test(w.text),
      'apt signature or certificate checks are turned off',
    );
    flag((w) => w.text === '--nogpgcheck' || /^--setopt=(\w+\.)?gpgcheck=(0|false|no)$/.test(w.text), 'package signatures are not checked');
    flag(
      (w) => /gpgcheck\s*=\s*0|\[trusted=yes\]|sslverify\s*=\s*(0|false)/i.test(w.text),
      'a repository is configured without signature or certificate checks',
    );
  }
  if (cmd.baseName === 'zypper')
    flag((w) => w.text === '--no-gpg-checks' || w.text === '--no-gpgcheck', '`zypper --no-gpg-checks` installs packages without checking their signatures');
  // `rpm -i http://...` fetches over plain HTTP and (without a key imported) checks no signature.
  if (cmd.baseName === 'rpm' && hasAnyFlag(cmd, 'i', 'U', 'install', 'upgrade'))
    flag((w) => /^http:\/\//.test(w.text), '`rpm` installs a package fetched over plain http');
  if (CONDA_NAMES.has(cmd.baseName)) flag((w) => w.text === '--insecure' || w.text === '-k', 'conda skips TLS certificate checks');
  if ((cmd.baseName === 'npm' || cmd.baseName === 'yarn') && cmd.args.some((a) => a.text === 'strict-ssl'))
    flag((w) => w.text === 'false', 'npm `strict-ssl false` skips TLS certificate checks');
  if (isCurlOrWget(cmd)) {
    for (const u of urlArgs(cmd)) {
      if (/^http:\/\/(?!(localhost|127\.0\.0\.1)[:/])/.test(u.text.replace(/^--url=/, '')))
        found.push({ word: u, what: 'a plain http:// download can be altered in transit' });
    }
  }
  return found;
}
