// DEF103 unknown-bootstrap-agent: `Bootstrap:` value that is not a bootstrap agent (values are case-sensitive).
import { agentOf, BOOTSTRAP_AGENTS, isKnownAgent, lastEntry } from '../../vocab/header.js';
import { nearest, q } from '../../vocab/text.js';
import { replaceFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { isTemplated } from '../../vocab/header-bootstrap.js';

export const unknownBootstrapAgent = defineRule({
  create: (ctx) => ({
    stage(stage) {
      const entry = lastEntry(stage, 'bootstrap');
      if (!entry) return;
      const value = agentOf(ctx, stage) ?? entry.value;
      if (isTemplated(value) || isKnownAgent(value)) return;
      if (value === '') {
        ctx.report({ messageId: 'bootstrapHasNoValue', range: entry.keyRange });
        return;
      }
      const lower = value.toLowerCase();
      const candidate = isKnownAgent(lower) ? lower : nearest(lower, BOOTSTRAP_AGENTS, 2);
      const written = entry.value === value;
      ctx.report({
        messageId: isKnownAgent(lower) ? 'wrongCase' : lower === 'self' ? 'self' : 'unknownAgent',
        data: { agent: q(value), lower: q(lower) },
        range: entry.valueRange,
        suggestions: candidate && written ? [replaceFix(`Use ${candidate}`, entry.valueRange.start.offset, entry.valueRange.end.offset, candidate)] : [],
      });
    },
  }),
  meta: {
    id: 'DEF103',
    slug: 'unknown-bootstrap-agent',
    group: 'header',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: '`Bootstrap:` value that is not a bootstrap agent (values are case-sensitive).',
    description: [
      'The agent is chosen by comparing the value exactly: `library oras shub docker docker-archive docker-daemon oci',
      'oci-archive busybox debootstrap arch localimage yum dnf zypper scratch buildkit dockerfile`. `Docker` or an',
      "empty value fail at build time (`invalid build source`); Singularity 2's `self` is gone.",
      '',
      '**Fix:** use one of the agents (the quick fix proposes the nearest).',
    ].join('\n'),
    bad: 'Bootstrap: Docker\nFrom: alpine:3.19\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n',
    source: 'AP-BUILD `conveyorPacker.go`, AP-APPX; deffile-format.md §6',
    fixKind: 'suggestion',
    messages: {
      bootstrapHasNoValue: '`Bootstrap:` has no value: the build fails',
      unknownAgent: 'Unknown bootstrap agent {{ agent }}: the build fails with "invalid build source"',
      wrongCase: 'Bootstrap agents are case-sensitive: {{ agent }} fails, write {{ lower }}',
      self: '`Bootstrap: self` (Singularity 2) is not supported by Apptainer',
    },
  },
});
