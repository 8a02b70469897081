// DEF510 sif-base-unverified: A SIF base image (`library`, `oras`, local `.sif`) without `Fingerprints:`.
import { agentOf, lastEntry } from '../../vocab/header.js';
import { defineRule } from '../../define-rule.js';

export const sifBaseUnverified = defineRule({
  create: (ctx) => ({
    stage(stage) {
      const agent = agentOf(ctx, stage);
      const from = lastEntry(stage, 'from');
      const sif = agent === 'library' || agent === 'oras' || (agent === 'localimage' && /\.sif$/i.test(from?.value ?? ''));
      if (!sif || lastEntry(stage, 'fingerprints')) return;
      const entry = lastEntry(stage, 'bootstrap');
      if (!entry) return;
      ctx.report({
        messageId: 'baseImageNotChecked',
        data: { agent },
        range: entry.range,
      });
    },
  }),
  meta: {
    id: 'DEF510',
    slug: 'sif-base-unverified',
    group: 'security',
    defaultSeverity: 'info',
    presets: ['recommended', 'security'],
    summary: 'A SIF base image (`library`, `oras`, local `.sif`) without `Fingerprints:`.',
    description: [
      'SIF images can be signed. With a `Fingerprints:` header the build checks that the base image',
      'is signed by one of the listed keys and fails otherwise; without it a bad or missing signature',
      'only produces a warning.',
    ].join('\n'),
    bad: 'Bootstrap: library\nFrom: library/default/alpine:3.20\n\n%post\n    echo hello\n',
    good: 'Bootstrap: library\nFrom: library/default/alpine:3.20\nFingerprints: 8883491F4268F173C6E5DC49EDECE4F3F38D871E\n\n%post\n    echo hello\n',
    source: 'AP-DEF (Fingerprints header)',
    messages: {
      baseImageNotChecked: 'The {{ agent }} base image is not checked against signing keys: add `Fingerprints:` to make a bad signature fail the build.',
    },
  },
});
