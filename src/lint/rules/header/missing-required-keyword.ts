// DEF104 missing-required-keyword: A key the bootstrap agent needs is missing.
import { knownAgent, AGENTS_REQUIRING_FROM, lastEntry } from '../../vocab/header.js';
import { q } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { valueOf, isTemplated, insertAfter, hasImageTag } from '../../vocab/header-bootstrap.js';

export const missingRequiredKeyword = defineRule({
  create: (ctx) => ({
    stage(stage) {
      const agent = knownAgent(ctx, stage);
      const bootstrap = lastEntry(stage, 'bootstrap');
      if (!agent || !bootstrap) return;
      const missing = (key: string) => {
        const value = valueOf(ctx, stage, key);
        return value === undefined || value === '';
      };
      const need = (key: string, spelling: string, why = '') => {
        if (!missing(key)) return;
        const raw = stage.headerValues[key];
        if (raw !== undefined && isTemplated(raw)) {
          // `From: {{ BASE }}` with an empty `%arguments` default marks a required build argument.
          const names = [...new Set([...raw.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]))];
          ctx.report({
            messageId: 'requiredBuildArgument',
            data: { spelling, buildArgs: names.map((name) => `\`--build-arg ${name}=…\``).join(' and '), agent },
            range: lastEntry(stage, key)?.valueRange ?? bootstrap.range,
            severity: 'warning',
          });
          return;
        }
        ctx.report({
          messageId: 'bootstrapNeeds',
          data: { agent, spelling, why },
          range: bootstrap.range,
          suggestions: [insertAfter(ctx, bootstrap, `${spelling}: `, `Add ${spelling}:`)],
        });
      };
      if (AGENTS_REQUIRING_FROM.has(agent)) need('from', 'From');
      if (agent === 'busybox' || agent === 'debootstrap' || agent === 'yum' || agent === 'dnf') need('mirrorurl', 'MirrorURL');
      if (agent === 'debootstrap') need('osversion', 'OSVersion');
      if (agent === 'docker-daemon') {
        const from = valueOf(ctx, stage, 'from');
        const entry = lastEntry(stage, 'from');
        if (from && entry && !isTemplated(from) && !hasImageTag(from)) {
          ctx.report({
            messageId: 'bootstrapDockerDaemonNeeds',
            data: { withTag: q(from + ':latest') },
            range: entry.valueRange,
          });
        }
      }
      if (agent === 'zypper') {
        const sle = ['product', 'user', 'regcode'];
        const present = sle.filter((key) => !missing(key));
        if (present.length > 0 && present.length < sle.length) {
          const absent = sle.filter((key) => missing(key)).map((key) => ({ product: 'Product', user: 'User', regcode: 'Regcode' })[key]);
          ctx.report({
            messageId: 'sleRegistrationNeedsProduct',
            data: { absent: absent.join(', ') },
            range: bootstrap.range,
          });
        }
        if (present.length === sle.length) need('osversion', 'OSVersion', ' (always required for SLE)');
      }
    },
  }),
  meta: {
    id: 'DEF104',
    slug: 'missing-required-keyword',
    group: 'header',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'A key the bootstrap agent needs is missing.',
    description: [
      'Each agent reads its own keys and fails without the required ones:',
      '',
      '* `From` — library, oras, shub, docker, docker-archive, docker-daemon (with an explicit tag), oci,',
      '  oci-archive, localimage, buildkit/dockerfile;',
      '* `MirrorURL` — busybox, debootstrap, yum/dnf; `OSVersion` — debootstrap;',
      '* zypper SLE registration: `Product`, `User` and `Regcode` all or none, and then `OSVersion` too.',
      '',
      '**Fix:** add the key (the quick fix inserts a stub line to complete).',
    ].join('\n'),
    bad: 'Bootstrap: debootstrap\nMirrorURL: http://deb.debian.org/debian/\n',
    good: 'Bootstrap: debootstrap\nOSVersion: bookworm\nMirrorURL: http://deb.debian.org/debian/\n',
    source: 'AP-APPX, AP-BUILD `conveyorPacker_*.go`; deffile-format.md §6',
    fixKind: 'suggestion',
    messages: {
      requiredBuildArgument: '`{{ spelling }}:` is empty unless {{ buildArgs }} is given: `Bootstrap: {{ agent }}` needs it',
      bootstrapNeeds: '`Bootstrap: {{ agent }}` needs `{{ spelling }}:`{{ why }}',
      bootstrapDockerDaemonNeeds: '`Bootstrap: docker-daemon` needs an explicit tag: write {{ withTag }} or the tag you mean',
      sleRegistrationNeedsProduct: 'SLE registration needs `Product`, `User` and `Regcode` together; missing: {{ absent }}',
    },
  },
});
