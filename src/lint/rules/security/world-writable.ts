// DEF506 world-writable: `chmod 777` / `o+w` / `a+w` on files in the image.
import { isChmod, isEnvironmentSection, positionalArgs } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';
import { SCRATCH, worldWritableNumeric, isWorldWritableSymbolic } from '../../vocab/security-accounts.js';

export const worldWritable = defineRule({
  create: (ctx) => ({
    command(cmd, script) {
      if (isEnvironmentSection(script.section)) return;
      if (!isChmod(cmd)) return;
      const [mode, ...paths] = positionalArgs(cmd.args, ['--reference']);
      if (!mode || !mode.isStatic) return;
      const numericFix = worldWritableNumeric(mode.text);
      if (!numericFix && !isWorldWritableSymbolic(mode.text)) return;
      if (paths.length > 0 && paths.every((p) => SCRATCH.test(p.text))) return;
      ctx.report({
        messageId: 'chmodMakesWritableEvery',
        data: { mode: mode.text, paths: paths.map((p) => p.text).join(' ') || 'the files' },
        range: mode.range,
        suggestions: numericFix
          ? [{ description: `Use ${numericFix}`, edits: [{ start: mode.range.start.offset, end: mode.range.end.offset, text: numericFix }] }]
          : undefined,
      });
    },
  }),
  meta: {
    id: 'DEF506',
    slug: 'world-writable',
    group: 'security',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended', 'security'],
    summary: '`chmod 777` / `o+w` / `a+w` on files in the image.',
    description: [
      'World-writable install trees let any user of a writable overlay or sandbox replace programs',
      'that others run, and hide mistakes about who should own what. Give directories `755` and files',
      '`644` (or `755` for programs); use a sticky mode such as `1777` only for scratch directories.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    mkdir -p /opt/app\n    chmod -R 777 /opt/app\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    mkdir -p /opt/app\n    chmod -R 755 /opt/app\n',
    source: 'AP-BP #4 (system ownership), hardening',
    needsShell: true,
    fixKind: 'suggestion',
    messages: {
      chmodMakesWritableEvery: '`chmod {{ mode }}` makes {{ paths }} writable by every user.',
    },
  },
});
