// DEF902 template-var-other-stage: `{{ NAME }}` whose default is only in another stage's `%arguments`.
import { liveStages } from '../../vocab/sections.js';
import { q } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { addDefault, definedElsewhere, unsetPlaceholders } from '../../vocab/templating-templates.js';

export const templateVarOtherStage = defineRule({
  create: (ctx) => ({
    stage(stage) {
      for (const placeholder of unsetPlaceholders(ctx, stage)) {
        const other = definedElsewhere(liveStages(ctx.file), stage, placeholder.name);
        if (!other) continue;
        const value = other.argumentDefaults[placeholder.name];
        const fix = addDefault(ctx, stage, placeholder.name, value, `Copy ${placeholder.name}=${value} into this stage's %arguments`);
        ctx.report({
          messageId: 'definedOnlyAnotherStage',
          data: { placeholder: q(placeholder.name), stageNumber: other.index + 1 },
          range: placeholder.range,
          suggestions: fix ? [fix] : [],
        });
      }
    },
  }),
  meta: {
    id: 'DEF902',
    slug: 'template-var-other-stage',
    group: 'templating',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: "`{{ NAME }}` whose default is only in another stage's `%arguments`.",
    description: [
      '`%arguments` defaults apply only to their own stage (`--build-arg` applies to all). A placeholder in one stage',
      'with the default in another stage is undefined and the build fails.',
      '',
      "**Fix:** repeat the default in this stage's `%arguments` (quick fix), or pass `--build-arg`.",
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:{{ TAG }}\nStage: build\n\n%arguments\n    TAG=3.19\n\nBootstrap: docker\nFrom: alpine:{{ TAG }}\n',
    good: 'Bootstrap: docker\nFrom: alpine:{{ TAG }}\nStage: build\n\n%arguments\n    TAG=3.19\n\nBootstrap: docker\nFrom: alpine:{{ TAG }}\n\n%arguments\n    TAG=3.19\n',
    source: 'AP-BUILD `MakeAllDefs`; deffile-format.md §12, §13.4',
    fixKind: 'suggestion',
    messages: {
      definedOnlyAnotherStage:
        "{{ placeholder }} is defined only in another stage's %arguments (stage {{ stageNumber }}); defaults are per stage, so the build fails here",
    },
  },
});
