// DEF509 untrusted-registry: Base image from a registry that is not in `trustedRegistries`.
import { baseImages } from '../../vocab/reproducibility-from-pinning.js';
import { defineRule } from '../../define-rule.js';
import { registryOf, hostPattern } from '../../vocab/security-registries.js';

export const untrustedRegistry = defineRule({
  check(ctx) {
    const trusted = ctx.settings.trustedRegistries;
    if (trusted.length === 0) return;
    const matchers = trusted.map((t) => hostPattern(t.toLowerCase()));
    for (const image of baseImages(ctx)) {
      if (image.agent === 'shub') continue;
      const registry = registryOf(image.agent, image.ref.registry, image.stage.headerValues['library']);
      const allowed =
        matchers.some((m) => m(registry)) || (registry === 'docker.io' && matchers.some((m) => m('index.docker.io') || m('registry-1.docker.io')));
      if (allowed) continue;
      ctx.report({ messageId: 'notTrustedRegistryTrusted', data: { registry, trusted: trusted.join(', ') }, range: image.entry.valueRange });
    }
  },
  meta: {
    id: 'DEF509',
    slug: 'untrusted-registry',
    group: 'security',
    defaultSeverity: 'error',
    presets: ['recommended', 'security'],
    summary: 'Base image from a registry that is not in `trustedRegistries`.',
    description: [
      'When the configuration lists `trustedRegistries` (host names, `*` wildcards allowed, e.g.',
      '`docker.io`, `*.example.org`), every registry `From:` must come from one of them. Images without',
      'a registry host come from `docker.io`. Silent when no list is configured.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: quay.io/unknown/tool:1.0\n\n%post\n    echo hello\n',
    good: 'Bootstrap: docker\nFrom: ghcr.io/example/tool:1.0\n\n%post\n    echo hello\n',
    source: 'HL DL3026',
    messages: {
      notTrustedRegistryTrusted: '{{ registry }} is not a trusted registry (trusted: {{ trusted }}).',
    },
  },
});
