// DEF851 stage-without-header: A stage (or a whole file) with sections but no header.
import { liveStages } from '../../vocab/sections.js';
import { sectionHeadRange } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';

export const stageWithoutHeader = defineRule({
  create: (ctx) => ({
    stage(stage) {
      if (stage.header !== null || stage.sections.length === 0) return;
      const where = liveStages(ctx.file).length > 1 ? 'These sections come before any `Bootstrap:` and form a stage without header' : 'This file has no header';
      ctx.report({
        messageId: 'buildFailsMultipleStages',
        data: { where },
        range: sectionHeadRange(ctx.file, stage.sections[0]),
      });
    },
  }),
  meta: {
    id: 'DEF851',
    slug: 'stage-without-header',
    group: 'multistage',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'A stage (or a whole file) with sections but no header.',
    description: [
      'At build time every stage needs a header; otherwise `apptainer build` stops with `multiple stages detected,',
      'all must have headers` — even for a single-stage file. Sections written before the first `Bootstrap:` form',
      'such a headerless stage.',
      '',
      '**Fix:** add `Bootstrap:`/`From:` above the sections, or move the sections below the right header.',
    ].join('\n'),
    bad: '%post\n    echo hi\n\nBootstrap: docker\nFrom: alpine:3.19\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    echo hi\n',
    source: 'AP-BUILD `build.go`; deffile-format.md §12',
    messages: {
      buildFailsMultipleStages: '{{ where }}: the build fails with "multiple stages detected, all must have headers"',
    },
  },
});
