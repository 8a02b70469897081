// DEF113 from-repeats-scheme: `From: docker://...` under `Bootstrap: docker` (the agent adds the scheme itself).
import { knownAgent, lastEntry } from '../../vocab/header.js';
import { q, rangeOf } from '../../vocab/text.js';
import { replaceFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { SCHEME_ADDED } from '../../vocab/header-bootstrap.js';

export const fromRepeatsScheme = defineRule({
  create: (ctx) => ({
    stage(stage) {
      const agent = knownAgent(ctx, stage);
      const scheme = agent ? SCHEME_ADDED[agent] : undefined;
      const from = lastEntry(stage, 'from');
      if (!agent || !scheme || !from || !from.value.toLowerCase().startsWith(scheme)) return;
      const start = from.valueRange.start.offset;
      ctx.report({
        messageId: 'bootstrapAlreadyAddsFrom',
        data: { agent, scheme: q(scheme), becomes: q(scheme + from.value) },
        range: rangeOf(ctx.file, start, start + scheme.length),
        fix: replaceFix(`Remove ${scheme}`, start, start + scheme.length, ''),
      });
    },
  }),
  meta: {
    id: 'DEF113',
    slug: 'from-repeats-scheme',
    group: 'header',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: '`From: docker://...` under `Bootstrap: docker` (the agent adds the scheme itself).',
    description: [
      'The docker, shub and oras agents prefix `From` with their scheme (`docker://`, `shub://`, `oras://`), so',
      '`From: docker://ubuntu` becomes `docker://docker://ubuntu` and the pull fails. (`library://` is stripped and',
      'therefore fine.)',
      '',
      '**Fix:** drop the scheme from `From` (safe fix).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: docker://ubuntu:24.04\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:24.04\n',
    source: 'AP-BUILD `conveyorPacker_oci.go`, `_oras.go`, `_shub.go`; deffile-format.md §6, §16 item 21',
    fixKind: 'safe',
    messages: {
      bootstrapAlreadyAddsFrom: '`Bootstrap: {{ agent }}` already adds {{ scheme }}: this From becomes {{ becomes }}',
    },
  },
});
