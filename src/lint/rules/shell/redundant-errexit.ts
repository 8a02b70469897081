// DEF303 redundant-errexit: `set -e` / `set -x` at the top of a default build section is already in effect.
import { runsAtBuild } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';

export const redundantErrexit = defineRule({
  create: (ctx) => ({
    command(cmd, script) {
      if (cmd.nested || cmd.baseName !== 'set' || cmd.args.length === 0 || !cmd.args.every((a) => /^-[ex]+$/.test(a.text))) return;
      const shell = script.section.shell;
      if (!shell || shell.source !== 'default' || !shell.errexit || !runsAtBuild(script.section) || !['post', 'setup', 'pre'].includes(script.section.name))
        return;
      const line = script.section.bodyLines.find((l) => l.line === cmd.range.start.line);
      const wholeLine = line && line.text.trim() === ctx.file.text.slice(cmd.range.start.offset, cmd.range.end.offset);
      const nextLine = script.section.bodyLines.find((l) => l.line === cmd.range.start.line + 1);
      ctx.report({
        messageId: 'redundantAlreadyRunsSh',
        data: { command: ctx.file.text.slice(cmd.range.start.offset, cmd.range.end.offset), section: script.section.name },
        range: cmd.range,
        tags: ['unnecessary'],
        fix: wholeLine && line && nextLine ? { description: 'Delete the line', edits: [{ start: line.offset, end: nextLine.offset, text: '' }] } : undefined,
      });
    },
  }),
  meta: {
    id: 'DEF303',
    slug: 'redundant-errexit',
    group: 'shell',
    scope: 'section',
    defaultSeverity: 'off',
    presets: [],
    summary: '`set -e` / `set -x` at the top of a default build section is already in effect.',
    description: [
      'A build section without `-c` runs as `/bin/sh -ex`, so `set -e` and `set -x` change nothing.',
      'Harmless and portable, so this rule is off by default.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    set -e\n    apk add --no-cache make\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    apk add --no-cache make\n',
    source: 'AP-BUILD',
    needsShell: true,
    fixKind: 'safe',
    messages: {
      redundantAlreadyRunsSh: '`{{ command }}` is redundant: %{{ section }} already runs with `sh -ex`.',
    },
  },
});
