// DEF854 files-from-bad-stage: `%files from X` where X is unknown, the current stage or a later one.
import { liveStages } from '../../vocab/sections.js';
import { nearest, q } from '../../vocab/text.js';
import { replaceFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { stageName, fromStageOf, isFromSection, fromWordRange } from '../../vocab/multistage-stages.js';

export const filesFromBadStage = defineRule({
  create(ctx) {
    const stages = liveStages(ctx.file);
    const names = stages.map((stage) => stageName(ctx, stage));
    const indexOf = new Map(stages.map((stage, index) => [stage, index]));
    return {
      section(section, stage) {
        if (stage.empty || !isFromSection(section)) return;
        const index = indexOf.get(stage)!;
        const wanted = fromStageOf(ctx, stage, section);
        if (wanted === undefined) return;
        const range = fromWordRange(ctx, section);
        const found = names.indexOf(wanted);
        if (found === -1) {
          const known = names.slice(0, index).filter((name): name is string => !!name);
          const candidate = nearest(wanted, known, 2);
          ctx.report({
            messageId: 'noStageNamedBuild',
            data: { wanted: q(wanted), wantedUnquoted: wanted },
            range,
            suggestions:
              candidate && wanted === section.fromStage ? [replaceFix(`Copy from ${candidate}`, range.start.offset, range.end.offset, candidate)] : [],
          });
        } else if (found === index) {
          ctx.report({ messageId: 'filesFromNamesCurrent', data: { wanted }, range });
        } else if (found > index) {
          ctx.report({
            messageId: 'stageDeclaredLaterStages',
            data: { wanted: q(wanted) },
            range,
          });
        }
      },
    };
  },
  meta: {
    id: 'DEF854',
    slug: 'files-from-bad-stage',
    group: 'multistage',
    scope: 'section',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: '`%files from X` where X is unknown, the current stage or a later one.',
    description: [
      '`%files from X` copies from the stage named X. An unknown name fails the build (`stage X was not found`).',
      'The current stage or a later one passes the lookup but copies from a root filesystem that is not built yet;',
      'only earlier stages are allowed.',
      '',
      '**Fix:** name an earlier stage (the quick fix proposes the nearest name).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: golang:1.22\nStage: build\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from biuld\n    /hello /usr/local/bin/hello\n',
    good: 'Bootstrap: docker\nFrom: golang:1.22\nStage: build\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from build\n    /hello /usr/local/bin/hello\n',
    source: 'AP-DEF ("only from stages declared before"); AP-BUILD `findStageIndex`; HL DL3022/DL3023',
    fixKind: 'suggestion',
    messages: {
      noStageNamedBuild: 'No stage is named {{ wanted }}: the build fails ("stage {{ wantedUnquoted }} was not found")',
      filesFromNamesCurrent: '%files from {{ wanted }} names the current stage: it would copy from its own unfinished root filesystem',
      stageDeclaredLaterStages: 'Stage {{ wanted }} is declared later: stages are built in order, so it is not built yet when this one copies from it',
    },
  },
});
