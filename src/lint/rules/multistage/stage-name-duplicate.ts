// DEF853 stage-name-duplicate: Two stages with the same `Stage:` name.
import type { Stage } from '../../../parse/model.js';
import { lastEntry } from '../../vocab/header.js';
import { q } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { stageName } from '../../vocab/multistage-stages.js';

export const stageNameDuplicate = defineRule({
  create(ctx) {
    const seen = new Map<string, Stage>();
    return {
      stage(stage) {
        const name = stageName(ctx, stage);
        const entry = lastEntry(stage, 'stage');
        if (!name || !entry) return;
        const earlier = seen.get(name);
        if (!earlier) {
          seen.set(name, stage);
          return;
        }
        ctx.report({
          messageId: 'stageNameAlreadyUsed',
          data: { name: q(name), line: lastEntry(earlier, 'stage')!.range.start.line, nameUnquoted: name },
          range: entry.valueRange,
        });
      },
    };
  },
  meta: {
    id: 'DEF853',
    slug: 'stage-name-duplicate',
    group: 'multistage',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'Two stages with the same `Stage:` name.',
    description: [
      '`%files from <name>` copies from the **first** stage with that name; a later stage with the same name can',
      'never be referenced and its work is silently ignored.',
      '',
      '**Fix:** give every stage its own name.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\nStage: build\n\nBootstrap: docker\nFrom: alpine:3.19\nStage: build\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from build\n    /a /a\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\nStage: build\n\nBootstrap: docker\nFrom: alpine:3.19\nStage: docs\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from build\n    /a /a\n\n%files from docs\n    /b /b\n',
    source: 'AP-BUILD `findStageIndex`; HL DL3024; deffile-format.md §12',
    messages: {
      stageNameAlreadyUsed: 'Stage name {{ name }} is already used by the stage on line {{ line }}: `%files from {{ nameUnquoted }}` always picks that one',
    },
  },
});
