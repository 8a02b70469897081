// DEF402 from-latest: `From:` uses the `latest` tag.
import { defineRule } from '../../define-rule.js';
import { baseImages, valueNote } from '../../vocab/reproducibility-from-pinning.js';

export const fromLatest = defineRule({
  check(ctx) {
    for (const image of baseImages(ctx)) {
      if (image.ref.tag !== 'latest' || image.ref.digest) continue;
      ctx.report({ messageId: 'fromUsesMovingLatest', data: { image: image.value, valueNote: valueNote(image) }, range: image.entry.valueRange });
    }
  },
  meta: {
    id: 'DEF402',
    slug: 'from-latest',
    group: 'reproducibility',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`From:` uses the `latest` tag.',
    description:
      '`:latest` moves whenever a new release is pushed, so rebuilding the file later gives a different image. Pin a version tag (and a digest for full reproducibility).',
    bad: 'Bootstrap: docker\nFrom: python:latest\n\n%post\n    echo hello\n',
    good: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    echo hello\n',
    source: 'HL DL3007; DFL latest_tag',
    messages: {
      fromUsesMovingLatest: '`From: {{ image }}` uses the moving `latest` tag{{ valueNote }}. Pin a version.',
    },
  },
});
