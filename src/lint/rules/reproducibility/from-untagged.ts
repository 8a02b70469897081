// DEF401 from-untagged: `From:` without a tag or digest resolves to `latest`.
import { defineRule } from '../../define-rule.js';
import { baseImages, valueNote } from '../../vocab/reproducibility-from-pinning.js';

export const fromUntagged = defineRule({
  check(ctx) {
    for (const image of baseImages(ctx)) {
      if (image.ref.tag || image.ref.digest) continue;
      ctx.report({
        messageId: 'fromHasNoTag',
        data: { image: image.value, valueNote: valueNote(image) },
        range: image.entry.valueRange,
      });
    }
  },
  meta: {
    id: 'DEF401',
    slug: 'from-untagged',
    group: 'reproducibility',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`From:` without a tag or digest resolves to `latest`.',
    description: [
      'A registry image without `:tag` or `@sha256:` means `:latest`, whatever that is on the day of',
      'the build: two builds of the same file can get different operating systems. Name the tag',
      '(`ubuntu:22.04`), ideally with a digest.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu\n\n%post\n    echo hello\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    echo hello\n',
    source: 'AP-APPX (tag defaults to latest); HL DL3006; DFL missing_tag',
    fixKind: 'suggestion',
    messages: {
      fromHasNoTag: '`From: {{ image }}` has no tag, so it means `{{ image }}:latest`{{ valueNote }}. Pin a version tag.',
    },
  },
});
