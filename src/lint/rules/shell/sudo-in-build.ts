// DEF310 sudo-in-build: `sudo` in a build section, which already runs as (fake)root.
import { runsAtBuild } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';

export const sudoInBuild = defineRule({
  create: (ctx) => ({
    command(cmd, script) {
      if (!runsAtBuild(script.section)) return;
      const viaWrapper = cmd.wrappers.some((w) => w === 'sudo' || w.endsWith('/sudo'));
      if (!viaWrapper && cmd.baseName !== 'sudo') return;
      // Only `sudo` with harmless flags is removed automatically: `-u user` changes who runs it.
      const before = ctx.file.text.slice(cmd.range.start.offset, cmd.nameRange.start.offset);
      const m = /(^|\s)((?:\/usr\/bin\/)?sudo(?:\s+-[EHnS]+)*\s+)$/.exec(before);
      const fixable = viaWrapper && m && cmd.wrappers.length === 1;
      const start = fixable ? cmd.nameRange.start.offset - m![2].length : 0;
      ctx.report({
        messageId: 'sudoNotNeededAlready',
        data: { section: script.section.name },
        range: cmd.range,
        fix: fixable ? { description: 'Remove sudo', edits: [{ start, end: cmd.nameRange.start.offset, text: '' }] } : undefined,
      });
    },
  }),
  meta: {
    id: 'DEF310',
    slug: 'sudo-in-build',
    group: 'shell',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`sudo` in a build section, which already runs as (fake)root.',
    description: [
      'Build sections run as root (or fakeroot) already. Base images rarely ship `sudo`, so the',
      'command fails with "sudo: not found"; where it exists it only adds a PAM/TTY dependency.',
      'Drop `sudo`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    sudo mkdir -p /opt/app\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    mkdir -p /opt/app\n',
    source: 'HL DL3004; DFL sudo_usage',
    needsShell: true,
    fixKind: 'safe',
    messages: {
      sudoNotNeededAlready: '`sudo` is not needed in %{{ section }}: it already runs as root, and most base images have no sudo.',
    },
  },
});
