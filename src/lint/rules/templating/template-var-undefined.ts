// DEF901 template-var-undefined: `{{ NAME }}` with no default in this stage's `%arguments`.
import { liveStages } from '../../vocab/sections.js';
import { q } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { addDefault, definedElsewhere, unsetPlaceholders } from '../../vocab/templating-templates.js';

export const templateVarUndefined = defineRule({
  create: (ctx) => ({
    stage(stage) {
      for (const placeholder of unsetPlaceholders(ctx, stage)) {
        if (definedElsewhere(liveStages(ctx.file), stage, placeholder.name)) continue;
        const fix = addDefault(ctx, stage, placeholder.name, '', `Add ${placeholder.name}= to %arguments`);
        ctx.report({
          messageId: 'hasNoValueBuild',
          data: { placeholder: q(placeholder.name), name: placeholder.name },
          range: placeholder.range,
          suggestions: fix ? [fix] : [],
        });
      }
    },
  }),
  meta: {
    id: 'DEF901',
    slug: 'template-var-undefined',
    group: 'templating',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: "`{{ NAME }}` with no default in this stage's `%arguments`.",
    description: [
      '`apptainer build` replaces `{{ NAME }}` with the `--build-arg` value or, failing that, the default from the',
      "same stage's `%arguments`. Without either the build stops: `build var NAME is not defined through either",
      "--build-arg (--build-arg-file) or 'arguments' section`. Build args given to the linter (`--build-arg`,",
      '`buildArgs` in the config) count as defined. (Defined only in another stage: DEF902.)',
      '',
      '**Fix:** add `NAME=default` to `%arguments` (quick fix), or always build with `--build-arg NAME=...`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:{{ UBUNTU_VERSION }}\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:{{ UBUNTU_VERSION }}\n\n%arguments\n    UBUNTU_VERSION=24.04\n',
    source: 'AP-ARGS `reader.go`; AP-DEF (templating); deffile-format.md §13.4',
    fixKind: 'suggestion',
    messages: {
      hasNoValueBuild: "{{ placeholder }} has no value: the build fails unless --build-arg {{ name }}=... is given (no default in this stage's %arguments)",
    },
  },
});
