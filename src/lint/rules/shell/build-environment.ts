// DEF310, DEF311, DEF313: commands and variables that assume an interactive host session.
import { isEnvironmentSection, runsAtBuild, shellDetails } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';

export const sudoInBuild = defineRule({
  meta: {
    id: 'DEF310',
    slug: 'sudo-in-build',
    group: 'shell',
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
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      if (!runsAtBuild(script.section)) continue;
      for (const cmd of script.commands) {
        const viaWrapper = cmd.wrappers.some((w) => w === 'sudo' || w.endsWith('/sudo'));
        if (!viaWrapper && cmd.baseName !== 'sudo') continue;
        // Only `sudo` with harmless flags is removed automatically: `-u user` changes who runs it.
        const before = ctx.file.text.slice(cmd.range.start.offset, cmd.nameRange.start.offset);
        const m = /(^|\s)((?:\/usr\/bin\/)?sudo(?:\s+-[EHnS]+)*\s+)$/.exec(before);
        const fixable = viaWrapper && m && cmd.wrappers.length === 1;
        const start = fixable ? cmd.nameRange.start.offset - m![2].length : 0;
        ctx.report({
          message: `\`sudo\` is not needed in %${script.section.name}: it already runs as root, and most base images have no sudo.`,
          range: cmd.range,
          fix: fixable ? { description: 'Remove sudo', edits: [{ start, end: cmd.nameRange.start.offset, text: '' }] } : undefined,
        });
      }
    }
  },
});

const SERVICE_COMMANDS = new Set(['service', 'reboot', 'shutdown', 'halt', 'poweroff', 'telinit', 'ssh', 'vi', 'vim', 'nano', 'emacs', 'top', 'htop', 'mount']);
/** `systemctl` subcommands that only edit unit links and work without a running systemd. */
const OFFLINE_SYSTEMCTL = new Set(['enable', 'disable', 'mask', 'unmask', 'preset', 'set-default', 'daemon-reload', 'cat', 'list-unit-files']);

export const serviceCommandInBuild = defineRule({
  meta: {
    id: 'DEF311',
    slug: 'service-command-in-build',
    group: 'shell',
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
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      if (!runsAtBuild(script.section) || script.section.name === 'setup' || script.section.name === 'pre') continue;
      for (const cmd of script.commands) {
        const sub = cmd.args[0]?.text ?? '';
        const flagged = SERVICE_COMMANDS.has(cmd.baseName) || (cmd.baseName === 'systemctl' && !OFFLINE_SYSTEMCTL.has(sub) && !sub.startsWith('-'));
        if (!flagged || (cmd.baseName === 'mount' && cmd.args.length === 0)) continue;
        // Editors in batch mode (`emacs --batch`, `vim -es`) are scripts, not sessions.
        if (cmd.args.some((a) => ['--batch', '-batch', '--script', '-es', '-Es', '-e', '-E'].includes(a.text))) continue;
        ctx.report({
          message: `\`${cmd.baseName}\` needs a running system or a terminal, which %${script.section.name} does not have.`,
          range: cmd.nameRange,
        });
      }
    }
  },
});

const HOST_VARIABLES = /^(USER|SUDO_USER|SUDO_UID|SUDO_GID|LOGNAME|DISPLAY|SSH_AUTH_SOCK|CI|CI_\w+|GITHUB_\w+|GITLAB_\w+|JENKINS_\w+|BUILD_NUMBER|BUILD_ID|TRAVIS_\w+|BUILDKITE_\w+)$/;

export const hostEnvAssumed = defineRule({
  meta: {
    id: 'DEF313',
    slug: 'host-env-assumed',
    group: 'shell',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'A build section reads a host-only variable (`$USER`, `$SUDO_USER`, CI variables).',
    description: [
      '`%post` runs with a clean environment: `$USER`, `$SUDO_USER`, `$DISPLAY` and CI variables',
      'such as `$GITHUB_SHA` are not passed in, so they expand to nothing. Pass such values with',
      'a `{{ NAME }}` build argument (`--build-arg NAME=...`).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    echo "built by $USER" > /opt/BUILD_INFO\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%arguments\n    BUILDER=unknown\n\n%post\n    echo "built by {{ BUILDER }}" > /opt/BUILD_INFO\n',
    source: 'AP-DEF (%post clean env); apptainer/singularity#732',
    needsShell: true,
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      if (!runsAtBuild(script.section) || script.section.name === 'setup' || script.section.name === 'pre') continue;
      if (isEnvironmentSection(script.section)) continue;
      const details = shellDetails(script);
      const assigned = new Set(details.assignments.map((a) => a.name));
      for (const cmd of script.commands) for (const a of cmd.assignments) assigned.add(a.name);
      for (const ref of details.variables) {
        if (!HOST_VARIABLES.test(ref.name) || assigned.has(ref.name)) continue;
        ctx.report({
          message: `$${ref.name} comes from the host session, but %${script.section.name} runs with a clean environment: it is empty here.`,
          range: ref.range,
        });
      }
    }
  },
});
