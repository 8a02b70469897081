// DEF209 setup-touches-host: `%setup` writes to host paths (it runs on the host, often as root).
import { hasAnyFlag } from '../../shell/index.js';
import type { ShellWord } from '../../types.js';
import { pathText, redirectWords } from '../../vocab/shell-tree.js';
import { q } from '../../vocab/text.js';
import { replaceFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { PACKAGE_MANAGERS, DESTINATION_LAST, ALL_PATHS, RECURSIVE_DANGER, isHostPath, INSTALLS, nonOptions } from '../../vocab/sections-scripts.js';

export const setupTouchesHost = defineRule({
  create: (ctx) => ({
    command(cmd, script) {
      if (script.section.kind === 'unknown' || script.section.name !== 'setup') return;
      const name = cmd.baseName;
      if (PACKAGE_MANAGERS.has(name) && cmd.args.some((arg) => INSTALLS.test(arg.text))) {
        ctx.report({
          messageId: 'setupInstallsBuildHost',
          data: { name: q(name) },
          range: cmd.nameRange,
          severity: 'error',
        });
        return;
      }
      const targets: ShellWord[] = [];
      const paths = nonOptions(cmd);
      if (DESTINATION_LAST.has(name) && paths.length >= 2) targets.push(paths[paths.length - 1]);
      else if (ALL_PATHS.has(name)) targets.push(...paths);
      targets.push(...redirectWords(cmd, ctx.file));
      const recursive = RECURSIVE_DANGER.has(name) && hasAnyFlag(cmd, 'r', 'R', 'recursive');
      for (const target of targets) {
        if (!isHostPath(pathText(target))) continue;
        const start = target.range.start.offset;
        const quoteOffset = /^["']/.test(target.raw) ? 1 : 0;
        ctx.report({
          messageId: recursive ? 'recursiveHostPathSetup' : 'pathBuildHostSetup',
          data: { name: q(name), target: q(target.raw) },
          range: target.range,
          severity: recursive ? 'error' : undefined,
          suggestions: [replaceFix('Prefix with ${APPTAINER_ROOTFS}', start + quoteOffset, start + quoteOffset, '${APPTAINER_ROOTFS}')],
        });
      }
    },
  }),
  meta: {
    id: 'DEF209',
    slug: 'setup-touches-host',
    group: 'sections',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`%setup` writes to host paths (it runs on the host, often as root).',
    description: [
      "`%setup` runs on the **host**, after the base is unpacked, with the container's root filesystem at",
      '`$APPTAINER_ROOTFS`. An absolute path without that prefix is a host path: `mkdir /opt/app` creates it on the',
      'build machine (warning). Recursive `rm`/`chmod`/`chown` on host paths and package installs in `%setup` can',
      'damage the build host (error).',
      '',
      '**Fix:** prefix container paths with `${APPTAINER_ROOTFS}` (quick fix), or use `%files` and `%post`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%setup\n    mkdir -p /opt/app\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%setup\n    mkdir -p ${APPTAINER_ROOTFS}/opt/app\n',
    source: 'AP-DEF (%setup warning); deffile-format.md §8',
    fixKind: 'suggestion',
    needsShell: true,
    messages: {
      setupInstallsBuildHost: '{{ name }} in %setup installs on the build host, not in the container: use %post',
      recursiveHostPathSetup: 'Recursive {{ name }} on the host path {{ target }}: %setup runs on the build host',
      pathBuildHostSetup: '{{ target }} is a path on the build host (%setup runs there); container paths start with ${APPTAINER_ROOTFS}',
    },
  },
});
