// DEF311 service-command-in-build: Service managers, reboots, editors or ssh in a build section.
import { runsAtBuild } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';
import { SERVICE_COMMANDS, OFFLINE_SYSTEMCTL } from '../../vocab/shell-build-environment.js';

export const serviceCommandInBuild = defineRule({
  create: (ctx) => ({
    command(cmd, script) {
      if (!runsAtBuild(script.section) || script.section.name === 'setup' || script.section.name === 'pre') return;
      const sub = cmd.args[0]?.text ?? '';
      const flagged = SERVICE_COMMANDS.has(cmd.baseName) || (cmd.baseName === 'systemctl' && !OFFLINE_SYSTEMCTL.has(sub) && !sub.startsWith('-'));
      if (!flagged || (cmd.baseName === 'mount' && cmd.args.length === 0)) return;
      // Editors in batch mode (`emacs --batch`, `vim -es`) are scripts, not sessions.
      if (cmd.args.some((a) => ['--batch', '-batch', '--script', '-es', '-Es', '-e', '-E'].includes(a.text))) return;
      ctx.report({
        messageId: 'needsRunningSystemTerminal',
        data: { baseName: cmd.baseName, section: script.section.name },
        range: cmd.nameRange,
      });
    },
  }),
  meta: {
    id: 'DEF311',
    slug: 'service-command-in-build',
    group: 'shell',
    scope: 'section',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'Service managers, reboots, editors or ssh in a build section.',
    description: [
      'A build has no init system and no terminal: `systemctl start`, `service x restart`,',
      '`reboot`, `ssh`, editors and `top` hang or fail there. Configure files directly; start',
      'services at run time (`%startscript` for instances). `systemctl enable/mask` only edit links',
      'and are not reported.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    service postgresql start\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%startscript\n    service postgresql start\n',
    source: 'HL DL3001',
    needsShell: true,
    messages: {
      needsRunningSystemTerminal: '`{{ baseName }}` needs a running system or a terminal, which %{{ section }} does not have.',
    },
  },
});
