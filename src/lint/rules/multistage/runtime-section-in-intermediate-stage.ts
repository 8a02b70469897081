// DEF856 runtime-section-in-intermediate-stage: Run-time sections (`%runscript`, `%environment`, `%labels`, ...) in a stage that is not the last.
import { finalStage, sectionLabel } from '../../vocab/sections.js';
import { sectionHeadRange } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { RUNTIME_SECTIONS } from '../../vocab/multistage-stages.js';

export const runtimeSectionInIntermediateStage = defineRule({
  create: (ctx) => ({
    section(section, stage) {
      if (stage.empty || stage === finalStage(ctx.file)) return;
      if (section.kind === 'unknown' || !RUNTIME_SECTIONS.has(section.name) || section.body.trim() === '') return;
      ctx.report({
        messageId: 'stageNotLastNever',
        data: { sectionLabel: sectionLabel(section) },
        range: sectionHeadRange(ctx.file, section),
        tags: ['unnecessary'],
      });
    },
  }),
  meta: {
    id: 'DEF856',
    slug: 'runtime-section-in-intermediate-stage',
    group: 'multistage',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Run-time sections (`%runscript`, `%environment`, `%labels`, ...) in a stage that is not the last.',
    description: [
      'Only the last stage is assembled into the image. `%runscript`, `%startscript`, `%environment`, `%labels`,',
      '`%help` and app metadata in an earlier stage never reach it (and `%environment` does not apply during that',
      "stage's build either).",
      '',
      '**Fix:** move these sections to the final stage.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: golang:1.22\nStage: build\n\n%runscript\n    exec /hello\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from build\n    /hello /hello\n',
    good: 'Bootstrap: docker\nFrom: golang:1.22\nStage: build\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from build\n    /hello /hello\n\n%runscript\n    exec /hello\n',
    source: 'AP-BUILD (only the last stage is assembled)',
    messages: {
      stageNotLastNever: '{{ sectionLabel }} in a stage that is not the last: it never reaches the final image',
    },
  },
});
