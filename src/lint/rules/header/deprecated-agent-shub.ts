// DEF106 deprecated-agent-shub: Singularity Hub (`shub`) is frozen.
import { agentOf, lastEntry } from '../../vocab/header.js';
import { defineRule } from '../../define-rule.js';

export const deprecatedAgentShub = defineRule({
  create: (ctx) => ({
    stage(stage) {
      const bootstrap = lastEntry(stage, 'bootstrap');
      const from = lastEntry(stage, 'from');
      if (bootstrap && agentOf(ctx, stage) === 'shub') {
        ctx.report({
          messageId: 'singularityHubShubFrozen',
          range: bootstrap.valueRange,
          tags: ['deprecated'],
        });
      } else if (from && /^shub:\/\//i.test(ctx.resolvedHeader(stage, 'from') ?? '')) {
        ctx.report({
          messageId: 'shubImagesComeFrom',
          range: from.valueRange,
          tags: ['deprecated'],
        });
      }
    },
  }),
  meta: {
    id: 'DEF106',
    slug: 'deprecated-agent-shub',
    group: 'header',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Singularity Hub (`shub`) is frozen.',
    description: [
      'Singularity Hub stopped building images years ago and is read-only; `Bootstrap: shub` / `shub://` images',
      'may vanish at any time. Apptainer still lists the agent only among "other" agents.',
      '',
      '**Fix:** use `oras`, `docker` or `library` with a maintained registry.',
    ].join('\n'),
    bad: 'Bootstrap: shub\nFrom: vsoch/hello-world\n',
    good: 'Bootstrap: oras\nFrom: ghcr.io/apptainer/alpine:3.15.0\n',
    source: 'AP-DEF (preferred agents); ReproNim/reproman#594',
    messages: {
      singularityHubShubFrozen: 'Singularity Hub (`shub`) is frozen and read-only: prefer oras, docker or library',
      shubImagesComeFrom: '`shub://` images come from the frozen Singularity Hub: prefer oras, docker or library',
    },
  },
});
