// DEF305 apt-get-without-yes: `apt-get install/upgrade/remove` without `-y`: the build has no terminal to answer.
import { hasAnyFlag, isAptGet, operandsOf, subcommand } from '../../shell/index.js';
import { insertAfterWord } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { PROMPTING_SUBCOMMANDS, assumesYes } from '../../vocab/shell-apt.js';

export const aptGetWithoutYes = defineRule({
  create: (ctx) => ({
    command(cmd) {
      if (!isAptGet(cmd, ...PROMPTING_SUBCOMMANDS) || assumesYes(cmd)) return;
      const sub = subcommand(cmd)!;
      // `apt-get purge` or `install` with no package (and no -f) has nothing to do and asks nothing.
      if (NEED_OPERANDS.has(sub.text) && operandsOf(cmd).length === 0 && !hasAnyFlag(cmd, 'f', 'fix-broken')) return;
      ctx.report({
        messageId: 'withoutYWaitsAnswer',
        data: { baseName: cmd.baseName, sub: sub.text },
        range: { start: cmd.nameRange.start, end: sub.range.end },
        fix: insertAfterWord(sub, ' -y', 'Add -y'),
      });
    },
  }),
  meta: {
    id: 'DEF305',
    slug: 'apt-get-without-yes',
    group: 'shell',
    scope: 'section',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: '`apt-get install/upgrade/remove` without `-y`: the build has no terminal to answer.',
    description: [
      'Build scripts have no terminal. `apt-get install` asks "Do you want to continue? [Y/n]",',
      'reads end-of-file and aborts, and the build fails. Pass `-y` (`--yes`, `--assume-yes`; `-qq`',
      'implies it).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get install curl\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get install -y curl\n',
    source: 'HL DL3014; DFL',
    needsShell: true,
    fixKind: 'safe',
    messages: {
      withoutYWaitsAnswer: '`{{ baseName }} {{ sub }}` without -y waits for an answer the build cannot give, and aborts.',
    },
  },
});

const NEED_OPERANDS = new Set(['install', 'remove', 'purge', 'reinstall', 'build-dep']);
