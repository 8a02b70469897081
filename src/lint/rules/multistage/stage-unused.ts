// DEF855 stage-unused: A non-final stage that no `%files from` uses.
import { liveStages } from '../../vocab/sections.js';
import { q } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { stageName, fromStageOf, fromSections, stageAnchor } from '../../vocab/multistage-stages.js';

export const stageUnused = defineRule({
  create(ctx) {
    const stages = liveStages(ctx.file);
    if (stages.length < 2) return {};
    const final = stages[stages.length - 1];
    // Every stage name some `%files from` copies from.
    const used = new Set(
      stages.flatMap((stage) => fromSections(stage).map((section) => fromStageOf(ctx, stage, section) ?? section.fromStage)).filter((name) => !!name),
    );
    return {
      stage(stage) {
        if (stage === final) return;
        const name = stageName(ctx, stage);
        if (!name || used.has(name) || /\s/.test(name)) return;
        ctx.report({
          messageId: 'stageNeverUsedFiles',
          data: { name: q(name) },
          range: stageAnchor(ctx, stage),
          tags: ['unnecessary'],
        });
      },
    };
  },
  meta: {
    id: 'DEF855',
    slug: 'stage-unused',
    group: 'multistage',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'A non-final stage that no `%files from` uses.',
    description: [
      'Only the last stage becomes the image; earlier stages matter only through `%files from <name>`. A named stage',
      'nothing copies from is built and thrown away.',
      '',
      '**Fix:** copy what you need from it, or delete it.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\nStage: tools\n\n%post\n    echo building\n\nBootstrap: docker\nFrom: alpine:3.19\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\nStage: tools\n\n%post\n    echo building > /built.txt\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from tools\n    /built.txt /opt/built.txt\n',
    source: 'AP-BUILD (only the last stage is assembled)',
    messages: {
      stageNeverUsedFiles: 'Stage {{ name }} is never used by `%files from`: only the last stage becomes the image, so its work is thrown away',
    },
  },
});
