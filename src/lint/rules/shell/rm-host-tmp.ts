// DEF312: wiping /tmp or /var/tmp during the build deletes the host's files.
import { hasAnyFlag, isBuildSection, isRm, isTestSection, positionalArgs, rmTargets } from '../../shell/index.js';
import type { ShellWord } from '../../types.js';
import { defineRule } from '../../define-rule.js';

export const rmHostTmp = defineRule({
  create: (ctx) => ({
    command(cmd, script) {
      if (!isBuildSection(script.section) && !isTestSection(script.section)) return;
      if (isRm(cmd)) {
        for (const target of rmTargets(cmd)) {
          if (!wipesSharedTmp(target)) continue;
          if (/^\/(var\/)?tmp\/?$/.test(target.text) && !hasAnyFlag(cmd, 'r', 'R', 'recursive')) continue;
          ctx.report({
            messageId: 'rmDeletesFilesHost',
            data: { target: target.raw, section: script.section.name, hostDir: target.text.startsWith('/var') ? '/var/tmp' : '/tmp' },
            range: target.range,
          });
        }
      } else if (cmd.baseName === 'find') {
        const roots = positionalArgs(cmd.args).filter((a) => !a.text.startsWith('(') && !a.text.startsWith('!'));
        const root = roots[0];
        const deletes =
          cmd.args.some((a) => a.text === '-delete') ||
          cmd.args.some((a, i) => (a.text === '-exec' || a.text === '-execdir') && cmd.args[i + 1]?.text === 'rm');
        if (root && deletes && /^\/(var\/)?tmp\/?$/.test(root.text)) {
          ctx.report({
            messageId: 'findDeleteDeletesFiles',
            data: { root: root.text, section: script.section.name },
            range: cmd.range,
          });
        }
      }
    },
  }),
  meta: {
    id: 'DEF312',
    slug: 'rm-host-tmp',
    group: 'shell',
    scope: 'section',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: '`rm -rf /tmp/*` (or `find /tmp -delete`) in %post deletes files on the build host.',
    description: [
      "During the build the host's `/tmp` and `/var/tmp` are bind-mounted into the container. A",
      "cleanup such as `rm -rf /tmp/*` in `%post` or `%test` deletes the host's files (and the build's",
      'own scratch data), and nothing written there ends up in the image anyway.',
      '',
      'Fix: work in your own directory (`BUILD=$(mktemp -d)` ... `rm -rf "$BUILD"`) and delete only that.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    cd /tmp && curl -fsSLO https://example.org/tool-1.0.tar.gz\n    rm -rf /tmp/*\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    BUILD=$(mktemp -d)\n    cd "$BUILD" && curl -fsSLO https://example.org/tool-1.0.tar.gz\n    cd / && rm -rf "$BUILD"\n',
    source: 'apptainer/singularity#2538, #1349; AP-BUILD',
    needsShell: true,
    messages: {
      rmDeletesFilesHost: "`rm {{ target }}` in %{{ section }} deletes files in the host's {{ hostDir }}, which is mounted into the build.",
      findDeleteDeletesFiles: "`find {{ root }} ... -delete` in %{{ section }} deletes files in the host's /tmp, which is mounted into the build.",
    },
  },
});

/** `/tmp`, `/tmp/`, `/tmp/*`, `/var/tmp/.*`, `/tmp/*.tar.gz`: the shared directory or a glob in it. */
function wipesSharedTmp(word: ShellWord): boolean {
  const path = word.text.replace(/\/+$/, '') || '/';
  if (/^\/(var\/)?tmp$/.test(path)) return true;
  const inside = /^\/(var\/)?tmp\/([^/]*)$/.exec(path);
  // Only catch-all globs (`*`, `.*`, `.[!.]*`): `/tmp/mytool-*` targets the build's own files.
  return !!inside && /[*?[]/.test(inside[2]) && /^[.*?[\]!]+$/.test(inside[2]);
}
