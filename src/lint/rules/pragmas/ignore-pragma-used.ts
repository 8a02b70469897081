// DEF991: report every suppression pragma (policy mode, off by default).
import { defineRule } from '../../define-rule.js';

export const ignorePragmaUsed = defineRule({
  check(ctx) {
    for (const pragma of ctx.pragmas.pragmas) {
      const names = pragma.rules.map((rule) => rule.id).join(', ');
      ctx.report({
        messageId: 'suppressionPragma',
        data: { names, reason: pragma.reason ? ` (${pragma.reason})` : ' without a reason' },
        range: pragma.range,
      });
    }
  },
  meta: {
    id: 'DEF991',
    slug: 'ignore-pragma-used',
    group: 'pragmas',
    defaultSeverity: 'off',
    presets: [],
    summary: 'An `# apptainer-lint ignore=` pragma is present (policy mode).',
    description: [
      'Some teams want every exception reviewed centrally, in the configuration file, rather than',
      'scattered through def files. Turning this rule on reports each suppression pragma so a CI gate',
      'can refuse them. To make pragmas inert instead, set `noInlineConfig: true`.',
    ].join('\n'),
    bad: ['Bootstrap: docker', 'From: ubuntu:22.04', '', '%post', '    # apptainer-lint ignore=DEF001 -- temporary', '    echo hello', ''].join('\n'),
    good: ['Bootstrap: docker', 'From: ubuntu:22.04', '', '%post', '    echo hello', ''].join('\n'),
    source: 'hadolint DL1001 and --disable-ignore-pragma (catalogue §4.13).',
    messages: {
      suppressionPragma: 'Suppression pragma for {{ names }}{{ reason }}.',
    },
  },
});
