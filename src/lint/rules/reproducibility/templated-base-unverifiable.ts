// DEF408 templated-base-unverifiable: `From: {{ IMAGE }}` without a `%arguments` default: the base image cannot be checked.
import { REGISTRY_AGENTS, agentOf, lastEntry } from '../../vocab/header.js';
import { defineRule } from '../../define-rule.js';

export const templatedBaseUnverifiable = defineRule({
  create: (ctx) => ({
    stage(stage) {
      const entry = lastEntry(stage, 'from');
      if (!entry || !/\{\{\s*\w+\s*\}\}/.test(entry.value)) return;
      const agent = agentOf(ctx, stage) ?? '';
      if (!REGISTRY_AGENTS.has(agent) && !/\{\{/.test(agent)) return; // local paths are not pinned by tags
      const resolved = ctx.resolvedHeader(stage, 'from');
      if (resolved !== undefined && !/\{\{/.test(resolved)) return;
      ctx.report({
        messageId: 'fromDependsBuildArgument',
        data: { entry: entry.value },
        range: entry.valueRange,
      });
    },
  }),
  meta: {
    id: 'DEF408',
    slug: 'templated-base-unverifiable',
    group: 'reproducibility',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`From: {{ IMAGE }}` without a `%arguments` default: the base image cannot be checked.',
    description: [
      'When the base image comes from a build argument with no default, nothing in the file says which',
      'image it is, and the pinning rules (DEF401-DEF403) cannot check it. Give the argument a pinned',
      'default in `%arguments`; it can still be overridden with `--build-arg`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: {{ BASE }}\n\n%post\n    echo hello\n',
    good: 'Bootstrap: docker\nFrom: {{ BASE }}\n\n%arguments\n    BASE=ubuntu:22.04\n\n%post\n    echo hello\n',
    source: 'AP-ARGS',
    messages: {
      fromDependsBuildArgument:
        '`From: {{ entry }}` depends on a build argument with no default: the base image cannot be checked. Add a pinned default in %arguments.',
    },
  },
});
