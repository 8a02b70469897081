// DEF857 files-from-whole-tree: `%files from <stage>` copying `/` or `/usr`.
import { q } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { fromSections, WHOLE_TREE } from '../../vocab/multistage-stages.js';

export const filesFromWholeTree = defineRule({
  create: (ctx) => ({
    stage(stage) {
      for (const section of fromSections(stage)) {
        for (const entry of section.files ?? []) {
          if (!WHOLE_TREE.has(entry.source)) continue;
          ctx.report({
            messageId: 'copyingFromStageBrings',
            data: { source: q(entry.source), stage: q(section.fromStage ?? '') },
            range: entry.sourceRange,
          });
        }
      }
    },
  }),
  meta: {
    id: 'DEF857',
    slug: 'files-from-whole-tree',
    group: 'multistage',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`%files from <stage>` copying `/` or `/usr`.',
    description: [
      'Copying the whole root or `/usr` of a build stage drags its compilers, headers and caches back into the',
      'final image, which is what a multi-stage build is meant to avoid.',
      '',
      '**Fix:** copy only the installed prefix or the built binaries.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: golang:1.22\nStage: build\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from build\n    /usr /usr\n',
    good: 'Bootstrap: docker\nFrom: golang:1.22\nStage: build\n\nBootstrap: docker\nFrom: alpine:3.19\n\n%files from build\n    /usr/local/bin/hello /usr/local/bin/hello\n',
    source: 'HL DL3067 (analogue)',
    messages: {
      copyingFromStageBrings: 'Copying {{ source }} from stage {{ stage }} brings the whole build toolchain into the image',
    },
  },
});
