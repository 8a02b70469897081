// DEF855 stage-unused: A non-final stage that no `%files from` uses.
import { liveStages } from '../../vocab/sections.js';
import { q } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { stageName, fromStageOf, fromSections, stageAnchor } from '../../vocab/multistage-stages.js';

export const stageUnused = defineRule({
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
  check(ctx) {
    const stages = liveStages(ctx.file);
    if (stages.length < 2) return;
    const used = new Set<string>();
    for (const stage of stages)
      for (const section of fromSections(stage)) {
        const name = fromStageOf(ctx, stage, section) ?? section.fromStage;
        if (name) used.add(name);
      }
    for (const stage of stages.slice(0, -1)) {
      const name = stageName(ctx, stage);
      if (!name || used.has(name) || /\s/.test(name)) continue;
      ctx.report({
        messageId: 'stageNeverUsedFiles',
        data: { name: q(name) },
        range: stageAnchor(ctx, stage),
        tags: ['unnecessary'],
      });
    }
  },
});
