// DEF308 use-apt-get: Use `apt-get` rather than `apt` in scripts.
import { isAptGet, isEnvironmentSection } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';
import { APT_GET_SUBCOMMANDS } from '../../vocab/shell-apt.js';

export const useAptGet = defineRule({
  create: (ctx) => ({
    command(cmd, script) {
      if (isEnvironmentSection(script.section)) return;
      if (cmd.baseName !== 'apt' || !isAptGet(cmd, ...APT_GET_SUBCOMMANDS)) return;
      const nameEnd = cmd.nameRange.end;
      ctx.report({
        messageId: 'useAptGetScripts',
        range: cmd.nameRange,
        fix: { description: 'Replace apt with apt-get', edits: [{ start: nameEnd.offset - 3, end: nameEnd.offset, text: 'apt-get' }] },
      });
    },
  }),
  meta: {
    id: 'DEF308',
    slug: 'use-apt-get',
    group: 'shell',
    scope: 'section',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'Use `apt-get` rather than `apt` in scripts.',
    description: [
      '`apt` is the interactive front end: its output and options may change between releases and it',
      'warns "apt does not have a stable CLI interface". Scripts should use `apt-get` (and',
      '`apt-cache` for queries).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: debian:12\n\n%post\n    apt update\n    apt-get install -y --no-install-recommends curl\n',
    good: 'Bootstrap: docker\nFrom: debian:12\n\n%post\n    apt-get update\n    apt-get install -y --no-install-recommends curl\n',
    source: 'HL DL3027',
    needsShell: true,
    fixKind: 'safe',
    messages: {
      useAptGetScripts: 'Use `apt-get` in scripts: `apt` is meant for people and has no stable command-line interface.',
    },
  },
});
