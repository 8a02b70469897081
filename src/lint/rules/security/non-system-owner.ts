// DEF507 non-system-owner: Files owned by a regular user id (>= 500), or service accounts created without `-r`.
import { hasAnyFlag, isChown, targets } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';
import { looksLikeServiceAccount } from '../../vocab/security-accounts.js';

export const nonSystemOwner = defineRule({
  create: (ctx) => ({
    command(cmd) {
      if (isChown(cmd)) {
        const owner = targets(cmd, ['--reference', '--from'])[0];
        const uid = owner && /^(\d+)(?:[:.]|$)/.exec(owner.text)?.[1];
        if (owner && uid && Number(uid) >= 500) {
          ctx.report({
            messageId: 'givesFilesUidWhich',
            data: { baseName: cmd.baseName, owner: owner.text, uid },
            range: owner.range,
          });
        }
      } else if ((cmd.baseName === 'useradd' || cmd.baseName === 'adduser') && !hasAnyFlag(cmd, 'r', 'system') && looksLikeServiceAccount(cmd.args)) {
        ctx.report({ messageId: 'createsServiceAccountWithout', data: { baseName: cmd.baseName }, range: cmd.nameRange });
      }
    },
  }),
  meta: {
    id: 'DEF507',
    slug: 'non-system-owner',
    group: 'security',
    scope: 'section',
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
    messages: {
      givesFilesUidWhich: '`{{ baseName }} {{ owner }}` gives files to UID {{ uid }}, which is a regular user on the hosts that run the image.',
      createsServiceAccountWithout: '`{{ baseName }}` creates a service account without -r (--system): it gets a regular user id.',
    },
  },
});
