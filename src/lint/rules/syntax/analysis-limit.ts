// DEF022 analysis-limit: a script nested so deeply that the linter stopped analysing it there.
import { SHELL_NESTING_LIMIT } from '../../shell/walk.js';
import { defineRule } from '../../define-rule.js';

export const analysisLimit = defineRule({
  create: (ctx) => ({
    script(script) {
      if (!script.nestingLimit) return;
      ctx.report({
        messageId: 'nestedMoreThanLevels',
        data: { SHELL_NESTING_LIMIT, section: script.section.name },
        range: script.nestingLimit,
      });
    },
  }),
  meta: {
    id: 'DEF022',
    slug: 'analysis-limit',
    group: 'syntax',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    needsShell: true,
    summary: `Shell constructs nested more than ${SHELL_NESTING_LIMIT} levels deep: not analysed beyond that.`,
    description: [
      `The linter follows nested shell constructs (\`$( )\`, subshells, \`if\`, loops, functions) up to ${SHELL_NESTING_LIMIT}`,
      'levels, so a crafted script cannot exhaust its stack or memory. Deeper parts are not checked by any',
      'shell rule, and this finding says where analysis stopped. No hand-written script nests this deep; generated',
      'or obfuscated code does.',
      '',
      '**Fix:** flatten the script (functions, intermediate variables), or move it into a file copied with `%files`.',
    ].join('\n'),
    bad: `Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    echo ${'"$('.repeat(SHELL_NESTING_LIMIT + 5)}true${')"'.repeat(SHELL_NESTING_LIMIT + 5)}\n`,
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    echo "$(echo "$(true)")"\n',
    source: 'linter resource limits (docs/security.md)',
    messages: {
      nestedMoreThanLevels: 'Nested more than {{ SHELL_NESTING_LIMIT }} levels deep: the rest of this construct in %{{ section }} is not analysed',
    },
  },
});
