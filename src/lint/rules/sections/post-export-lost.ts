// DEF208 post-export-lost: `export` in `%post` of a variable the runscript reads: it is gone at run time.
import { shellDetails } from '../../shell/index.js';
import { isAmbient, stageScripts, variableReads } from '../../vocab/shell-tree.js';
import { isEnvironmentSection } from '../../vocab/sections.js';
import { q, rangeOf } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { namesAssigned, RUN_TIME, persistedText } from '../../vocab/sections-environment.js';

export const postExportLost = defineRule({
  create: (ctx) => ({
    stage(stage) {
      const runtime = stageScripts(ctx, stage, (section) => RUN_TIME.has(section.name));
      const runtimeRefs = new Set(runtime.flatMap((script) => variableReads(script, ctx.file).map((read) => read.name)));
      if (runtimeRefs.size === 0) return;
      const runtimeAssigned = namesAssigned(runtime, ctx.file);
      const environment = namesAssigned(stageScripts(ctx, stage, isEnvironmentSection), ctx.file);
      for (const script of stageScripts(ctx, stage, (section) => section.name === 'post')) {
        const persisted = persistedText(script);
        for (const assignment of shellDetails(script).assignments) {
          const { name } = assignment;
          const start = assignment.range.start.offset;
          // `export NAME=value` (not `export NAME`, which exports a value set elsewhere).
          if (!assignment.exported || !/^\+?=/.test(ctx.file.text.slice(start + name.length, start + name.length + 2))) continue;
          if (!runtimeRefs.has(name) || runtimeAssigned.has(name) || environment.has(name) || isAmbient(name)) continue;
          if (new RegExp(`\\b${name}\\b`).test(persisted)) continue;
          ctx.report({
            messageId: 'exportedPostButRead',
            data: { name: q(name) },
            range: rangeOf(ctx.file, start, start + name.length),
          });
        }
      }
    },
  }),
  meta: {
    id: 'DEF208',
    slug: 'post-export-lost',
    group: 'sections',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`export` in `%post` of a variable the runscript reads: it is gone at run time.',
    description: [
      'Variables exported in `%post` live only while `%post` runs. If `%runscript` (or `%startscript`, `%apprun`)',
      'needs them, they must be set in `%environment` or appended to `$APPTAINER_ENVIRONMENT` from `%post`.',
      '',
      '**Fix:** move the export to `%environment`, or `echo "export NAME=..." >> $APPTAINER_ENVIRONMENT` in `%post`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    export MODEL_DIR=/opt/models\n\n%runscript\n    exec ls "$MODEL_DIR"\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%environment\n    export MODEL_DIR=/opt/models\n\n%runscript\n    exec ls "$MODEL_DIR"\n',
    source: 'AP-DEF (%post)',
    needsShell: true,
    messages: {
      exportedPostButRead: "{{ name }} is exported in %post but read at run time: %post's environment is gone by then (set it in %environment)",
    },
  },
});
