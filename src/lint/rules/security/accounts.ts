// DEF506, DEF507, DEF508: permissions, ownership and accounts.
import { hasAnyFlag, isChmod, isChown, isEnvironmentSection, optionValue, positionalArgs, redirectTargets, targets } from '../../shell/index.js';
import type { ShellWord } from '../../types.js';
import { defineRule } from '../../define-rule.js';

/** Scratch places where world-writable (usually sticky) permissions are expected. */
const SCRATCH = /^\/(tmp|var\/tmp|dev\/shm|run\/lock)(\/|$)/;

/** The numeric mode with world write cleared, or undefined when it is not world-writable. */
function worldWritableNumeric(mode: string): string | undefined {
  if (!/^[0-7]{3,4}$/.test(mode)) return undefined;
  const digits = mode.split('').map(Number);
  const other = digits[digits.length - 1];
  if ((other & 2) === 0) return undefined;
  if (digits.length === 4 && (digits[0] & 1) === 1) return undefined; // sticky: a shared scratch dir
  digits[digits.length - 1] = other & ~2;
  digits[digits.length - 2] &= ~2;
  return digits.join('');
}

function isWorldWritableSymbolic(mode: string): boolean {
  // `o+w`, `a+rwx`, `ugo=rw`; a bare `+w` is filtered by the umask and is not world-writable.
  return mode.split(',').some((clause) => {
    const m = /^([ugoa]*)([+=])([rwxXst]*)$/.exec(clause);
    return !!m && /[oa]/.test(m[1]) && m[3].includes('w');
  });
}

export const worldWritable = defineRule({
  meta: {
    id: 'DEF506',
    slug: 'world-writable',
    group: 'security',
    defaultSeverity: 'warning',
    presets: ['recommended', 'security'],
    summary: '`chmod 777` / `o+w` / `a+w` on files in the image.',
    description: [
      'World-writable install trees let any user of a writable overlay or sandbox replace programs',
      'that others run, and hide mistakes about who should own what. Give directories `755` and files',
      '`644` (or `755` for programs); use a sticky mode such as `1777` only for scratch directories.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    mkdir -p /opt/app\n    chmod -R 777 /opt/app\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    mkdir -p /opt/app\n    chmod -R 755 /opt/app\n',
    source: 'AP-BP #4 (system ownership), hardening',
    needsShell: true,
    fixKind: 'suggestion',
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      if (isEnvironmentSection(script.section)) continue;
      for (const cmd of script.commands) {
        if (!isChmod(cmd)) continue;
        const [mode, ...paths] = positionalArgs(cmd.args, ['--reference']);
        if (!mode || !mode.isStatic) continue;
        const numericFix = worldWritableNumeric(mode.text);
        if (!numericFix && !isWorldWritableSymbolic(mode.text)) continue;
        if (paths.length > 0 && paths.every((p) => SCRATCH.test(p.text))) continue;
        ctx.report({
          message: `\`chmod ${mode.text}\` makes ${paths.map((p) => p.text).join(' ') || 'the files'} writable by every user.`,
          range: mode.range,
          suggestions: numericFix ? [{ description: `Use ${numericFix}`, edits: [{ start: mode.range.start.offset, end: mode.range.end.offset, text: numericFix }] }] : undefined,
        });
      }
    }
  },
});

/** Service-account-looking `useradd`: no home or a nologin shell, and no explicit system UID. */
function looksLikeServiceAccount(args: ShellWord[]): boolean {
  const uid = optionValue(args, '-u') ?? optionValue(args, '--uid');
  if (uid !== undefined && /^\d+$/.test(uid) && Number(uid) < 500) return false;
  const shell = optionValue(args, '-s') ?? optionValue(args, '--shell') ?? '';
  return /nologin|\/false$/.test(shell) || hasAnyFlag(args, 'M', 'no-create-home');
}

export const nonSystemOwner = defineRule({
  meta: {
    id: 'DEF507',
    slug: 'non-system-owner',
    group: 'security',
    defaultSeverity: 'info',
    presets: ['recommended', 'security'],
    summary: 'Files owned by a regular user id (>= 500), or service accounts created without `-r`.',
    description: [
      'Apptainer runs containers as the calling user, so a UID baked into the image (`chown 1000`)',
      'belongs to some unrelated person on the host that runs it. Keep installed files owned by root',
      '(or a system account below 500), and create service accounts with `useradd -r`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    mkdir -p /opt/app\n    chown -R 1000:1000 /opt/app\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    mkdir -p /opt/app\n    chown -R root:root /opt/app\n',
    source: 'AP-BP #4',
    needsShell: true,
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      for (const cmd of script.commands) {
        if (isChown(cmd)) {
          const owner = targets(cmd, ['--reference', '--from'])[0];
          const uid = owner && /^(\d+)(?:[:.]|$)/.exec(owner.text)?.[1];
          if (owner && uid && Number(uid) >= 500) {
            ctx.report({ message: `\`${cmd.baseName} ${owner.text}\` gives files to UID ${uid}, which is a regular user on the hosts that run the image.`, range: owner.range });
          }
        } else if ((cmd.baseName === 'useradd' || cmd.baseName === 'adduser') && !hasAnyFlag(cmd, 'r', 'system') && looksLikeServiceAccount(cmd.args)) {
          ctx.report({ message: `\`${cmd.baseName}\` creates a service account without -r (--system): it gets a regular user id.`, range: cmd.nameRange });
        }
      }
    }
  },
});

const ACCOUNT_FILES = /^\/etc\/(passwd|shadow|group|gshadow)-?$/;

export const credentialsInPasswd = defineRule({
  meta: {
    id: 'DEF508',
    slug: 'credentials-in-passwd',
    group: 'security',
    defaultSeverity: 'warning',
    presets: ['recommended', 'security'],
    summary: 'Passwords set in the image (`chpasswd`, `useradd -p`, writes to /etc/shadow).',
    description: [
      'Password hashes in `/etc/shadow` ship with every copy of the image and can be cracked offline;',
      'the definition file (stored in the image) often shows the password itself. Apptainer runs',
      'containers as the calling user, so image accounts rarely need passwords at all.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    useradd -m demo\n    echo "demo:demo123" | chpasswd\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    useradd -r -M -s /usr/sbin/nologin demo\n',
    source: 'AP-BP #5',
    needsShell: true,
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      for (const cmd of script.commands) {
        if (cmd.baseName === 'chpasswd' || (cmd.baseName === 'passwd' && hasAnyFlag(cmd, 'stdin'))) {
          ctx.report({ message: `\`${cmd.baseName}\` stores a password hash in the image.`, range: cmd.nameRange });
        } else if (['useradd', 'usermod', 'adduser'].includes(cmd.baseName) && (hasAnyFlag(cmd, '-p', 'password') || optionValue(cmd, '-p'))) {
          ctx.report({ message: `\`${cmd.baseName} -p\` stores a password hash in the image.`, range: cmd.nameRange });
        } else {
          const written = [...redirectTargets(cmd), ...(cmd.baseName === 'tee' ? targets(cmd).map((t) => t.text) : [])];
          const file = written.find((t) => ACCOUNT_FILES.test(t));
          if (file && /shadow/.test(file)) ctx.report({ message: `Writing to ${file} puts password data into the image.`, range: cmd.range });
          else if (file) ctx.report({ message: `Writing account entries to ${file} directly; make sure no password field is set (use useradd -r).`, range: cmd.range });
        }
      }
    }
  },
});
