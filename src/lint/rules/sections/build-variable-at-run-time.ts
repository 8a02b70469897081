// DEF219 build-variable-at-run-time: `$APPTAINER_ROOTFS` and other build-only variables used in a run-time section.
import { isRunSection, shellDetails } from '../../shell/index.js';
import { BUILD_ONLY_VARIABLES } from '../../vocab/sections.js';
import { defineRule } from '../../define-rule.js';

export const buildVariableAtRunTime = defineRule({
  create: (ctx) => ({
    script(script) {
      if (!isRunSection(script.section)) return;
      for (const ref of shellDetails(script).variables) {
        if (!BUILD_ONLY.has(ref.name) || ref.operator !== undefined) continue;
        ctx.report({
          messageId: 'buildOnly',
          data: { name: ref.name, section: script.section.name },
          range: ref.expansion,
        });
      }
    },
  }),
  meta: {
    id: 'DEF219',
    slug: 'build-variable-at-run-time',
    group: 'sections',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'A build-only variable (`$APPTAINER_ROOTFS`, `$SINGULARITY_ENVIRONMENT`, ...) used in %runscript or %startscript.',
    description: [
      '`apptainer build` sets `$APPTAINER_ROOTFS`, `$APPTAINER_ENVIRONMENT` and `$APPTAINER_LABELS` (and the',
      '`SINGULARITY_` names) for the build scripts only. In `%runscript`, `%startscript`, `%apprun` and',
      '`%appstart` they are empty, so `$APPTAINER_ROOTFS/opt/tool` becomes `/opt/tool` at best. Inside the',
      'running container the root file system is `/`: write the path without the variable.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%runscript\n    exec "$APPTAINER_ROOTFS/opt/tool/bin/tool" "$@"\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%runscript\n    exec /opt/tool/bin/tool "$@"\n',
    source: 'AP-BUILD (`stage.go` sets these for build scripts); deffile-format.md §8',
    needsShell: true,
    messages: {
      buildOnly: '${{ name }} is set only while the image is built: in %{{ section }} it is empty. Inside the container the root is /.',
    },
  },
});

/** Set by `apptainer build` for %setup/%post only: at run time they are empty. */
const BUILD_ONLY: ReadonlySet<string> = new Set(BUILD_ONLY_VARIABLES);
