// DEF101 missing-bootstrap: A stage header without `Bootstrap:`.
import { endOfLine, rangeOf } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { isSplitOffHeader } from '../../vocab/header-bootstrap.js';

export const missingBootstrap = defineRule({
  create: (ctx) => ({
    stage(stage) {
      if (stage.header === null || stage.header.length === 0 || stage.headerValues.bootstrap !== undefined) return;
      if (stage.header.every((entry) => !entry.valid) || isSplitOffHeader(ctx, stage)) return;
      const first = stage.header[0];
      ctx.report({
        messageId: 'stageHasNoBootstrap',
        range: rangeOf(ctx.file, first.range.start.offset, endOfLine(ctx.file.text, first.range.start.offset)),
      });
    },
  }),
  meta: {
    id: 'DEF101',
    slug: 'missing-bootstrap',
    group: 'header',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'A stage header without `Bootstrap:`.',
    description: [
      'The parser accepts a header without `Bootstrap:`, but the build cannot choose a bootstrap agent and fails with',
      '`unable to get conveyorpacker: no bootstrap specification found`. (A stage with no header at all is DEF851;',
      'header keys written *before* `Bootstrap:` are DEF102.)',
      '',
      '**Fix:** start the header with `Bootstrap: <agent>`.',
    ].join('\n'),
    bad: 'From: alpine:3.19\n\n%post\n    echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    echo hi\n',
    source: 'AP-BUILD `conveyorPacker.go`, `build.go`; deffile-format.md §6, §16 item 13',
    messages: {
      stageHasNoBootstrap: 'This stage has no `Bootstrap:`: the build fails with "no bootstrap specification found"',
    },
  },
});
