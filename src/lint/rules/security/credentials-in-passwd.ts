// DEF508 credentials-in-passwd: Passwords set in the image (`chpasswd`, `useradd -p`, writes to /etc/shadow).
import { hasAnyFlag, optionValue, redirectTargets, targets } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';
import { ACCOUNT_FILES } from '../../vocab/security-accounts.js';

export const credentialsInPasswd = defineRule({
  create: (ctx) => ({
    command(cmd) {
      if (cmd.baseName === 'chpasswd' || (cmd.baseName === 'passwd' && hasAnyFlag(cmd, 'stdin'))) {
        ctx.report({ messageId: 'storesPasswordHashImage', data: { baseName: cmd.baseName }, range: cmd.nameRange });
      } else if (['useradd', 'usermod', 'adduser'].includes(cmd.baseName) && (hasAnyFlag(cmd, '-p', 'password') || optionValue(cmd, '-p'))) {
        ctx.report({ messageId: 'passwordOptionStoresHash', data: { baseName: cmd.baseName }, range: cmd.nameRange });
      } else if (cmd.redirects.length > 0 || cmd.baseName === 'tee') {
        // Called for every command: most write nothing, and build no list of targets.
        const written = [...redirectTargets(cmd), ...(cmd.baseName === 'tee' ? targets(cmd).map((t) => t.text) : [])];
        const file = written.find((t) => ACCOUNT_FILES.test(t));
        if (file && /shadow/.test(file)) ctx.report({ messageId: 'writingPutsPasswordData', data: { file }, range: cmd.range });
        else if (file) ctx.report({ messageId: 'writingAccountEntriesDirectly', data: { file }, range: cmd.range });
      }
    },
  }),
  meta: {
    id: 'DEF508',
    slug: 'credentials-in-passwd',
    group: 'security',
    scope: 'section',
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
    messages: {
      storesPasswordHashImage: '`{{ baseName }}` stores a password hash in the image.',
      passwordOptionStoresHash: '`{{ baseName }} -p` stores a password hash in the image.',
      writingPutsPasswordData: 'Writing to {{ file }} puts password data into the image.',
      writingAccountEntriesDirectly: 'Writing account entries to {{ file }} directly; make sure no password field is set (use useradd -r).',
    },
  },
});
