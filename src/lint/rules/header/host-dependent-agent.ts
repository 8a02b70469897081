// DEF111 host-dependent-agent: Bootstrap agent that builds the OS with the host's own tools.
import { knownAgent, HOST_TOOL_AGENTS, lastEntry } from '../../vocab/header.js';
import { defineRule } from '../../define-rule.js';

export const hostDependentAgent = defineRule({
  create: (ctx) => ({
    stage(stage) {
      const agent = knownAgent(ctx, stage);
      const bootstrap = lastEntry(stage, 'bootstrap');
      if (!agent || !bootstrap || !HOST_TOOL_AGENTS.has(agent)) return;
      ctx.report({
        messageId: 'bootstrapBuildsOsTools',
        data: { agent },
        range: bootstrap.valueRange,
      });
    },
  }),
  meta: {
    id: 'DEF111',
    slug: 'host-dependent-agent',
    group: 'header',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: "Bootstrap agent that builds the OS with the host's own tools.",
    description: [
      '`yum`, `dnf`, `debootstrap`, `zypper`, `arch` and `busybox` run package tools installed **on the host**: the',
      'build needs them (and usually root), not every fakeroot mode works, and e.g. an RPM database written by a',
      'newer host RPM may be unreadable inside an older OS. Images built `From:` a registry are more portable.',
      '',
      '**Fix:** prefer `Bootstrap: docker`/`oras` with an official base image, unless you need the host tools.',
    ].join('\n'),
    bad: 'Bootstrap: debootstrap\nOSVersion: bookworm\nMirrorURL: http://deb.debian.org/debian/\n',
    good: 'Bootstrap: docker\nFrom: debian:bookworm\n',
    source: 'AP-APPX notes, AP-BUILD (yum + fakeroot warning)',
    messages: {
      bootstrapBuildsOsTools:
        '`Bootstrap: {{ agent }}` builds the OS with tools installed on the host (usually as root): less portable than a registry base image',
    },
  },
});
