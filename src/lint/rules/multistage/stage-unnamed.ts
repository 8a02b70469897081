// DEF852 stage-unnamed: A non-final stage without a usable `Stage:` name.
import type { Fix } from '../../types.js';
import { lastEntry } from '../../vocab/header.js';
import { liveStages } from '../../vocab/sections.js';
import { endOfLine, q } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { stageName, stageAnchor } from '../../vocab/multistage-stages.js';

export const stageUnnamed = defineRule({
  create(ctx) {
    const stages = liveStages(ctx.file);
    if (stages.length < 2) return {};
    const final = stages[stages.length - 1];
    const indexOf = new Map(stages.map((stage, index) => [stage, index]));
    return {
      stage(stage) {
        // Headerless chunks and chunks without Bootstrap (keys before `Bootstrap:`) are DEF851/DEF102.
        if (stage === final || stage.header === null || stage.headerValues.bootstrap === undefined) return;
        const index = indexOf.get(stage)!;
        const name = stageName(ctx, stage);
        const entry = lastEntry(stage, 'stage');
        if (name !== undefined && name !== '' && !/\s/.test(name)) return;
        if (entry && name && /\s/.test(name)) {
          ctx.report({ messageId: 'stageNameContainsSpaces', data: { name: q(name) }, range: entry.valueRange });
          return;
        }
        const bootstrap = lastEntry(stage, 'bootstrap');
        const suggestions: Fix[] = [];
        if (bootstrap && !entry) {
          const at = endOfLine(ctx.file.text, bootstrap.range.start.offset);
          suggestions.push({ description: `Name the stage stage${index + 1}`, edits: [{ start: at, end: at, text: `\nStage: stage${index + 1}` }] });
        }
        ctx.report({
          messageId: 'stageHasNoStage',
          range: stageAnchor(ctx, stage),
          suggestions,
        });
      },
    };
  },
  meta: {
    id: 'DEF852',
    slug: 'stage-unnamed',
    group: 'multistage',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'A non-final stage without a usable `Stage:` name.',
    description: [
      'In a multi-stage file, earlier stages exist to be copied from with `%files from <name>`. Without `Stage:` —',
      'or with a name containing spaces, which `%files from` cannot express — nothing can reference the stage.',
      '',
      '**Fix:** add `Stage: <name>` (the quick fix inserts `Stage: stageN`).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: golang:1.22\n\n%post\n    go build -o /hello ./...\n\nBootstrap: docker\nFrom: alpine:3.19\n',
    good: 'Bootstrap: docker\nFrom: golang:1.22\nStage: build\n\n%post\n    go build -o /hello ./...\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from build\n    /hello /usr/local/bin/hello\n',
    source: 'AP-DEF (multi-stage); deffile-format.md §12',
    fixKind: 'suggestion',
    messages: {
      stageNameContainsSpaces: 'Stage name {{ name }} contains spaces: `%files from` cannot reference it',
      stageHasNoStage: 'This stage has no `Stage:` name, so no later stage can copy from it with `%files from`',
    },
  },
});
