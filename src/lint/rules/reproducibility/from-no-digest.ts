// DEF403 from-no-digest: `From:` with a tag but no `@sha256:` digest (opt-in).
import { defineRule } from '../../define-rule.js';
import { baseImages } from '../../vocab/reproducibility-from-pinning.js';

export const fromNoDigest = defineRule({
  check(ctx) {
    for (const image of baseImages(ctx)) {
      if (image.ref.digest || !image.ref.tag || image.ref.tag === 'latest') continue;
      ctx.report({ messageId: 'fromPinnedTagOnly', data: { image: image.value }, range: image.entry.valueRange });
    }
  },
  meta: {
    id: 'DEF403',
    slug: 'from-no-digest',
    group: 'reproducibility',
    defaultSeverity: 'off',
    presets: [],
    summary: '`From:` with a tag but no `@sha256:` digest (opt-in).',
    description: [
      'Tags can be re-pushed: `ubuntu:22.04` gets security updates, so the same tag is a different',
      'image next month. Only a digest (`ubuntu:22.04@sha256:...`) names exact bytes. Off by default:',
      'digests must be looked up in the registry and updated by hand or by a bot.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    echo hello\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04@sha256:0e5e4a57c2499249aafc3b40fcd541e9a456aab7296681a3994d631587203f97\n\n%post\n    echo hello\n',
    source: 'AP-APPX (digest syntax); supply-chain practice',
    messages: {
      fromPinnedTagOnly: '`From: {{ image }}` is pinned by tag only; tags can be re-pushed. Add `@sha256:...`.',
    },
  },
});
