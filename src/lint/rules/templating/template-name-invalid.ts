// DEF908 template-name-invalid: `{{ my-var }}`: template names are letters, digits and `_` only.
import { rangeOf } from '../../vocab/text.js';
import { replaceFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { INVALID_NAME } from '../../vocab/templating-templates.js';

export const templateNameInvalid = defineRule({
  check(ctx) {
    const text = ctx.file.text;
    for (const match of text.matchAll(INVALID_NAME)) {
      const start = match.index!;
      const nameStart = start + match[0].indexOf(match[1]);
      const fixed = match[1].replace(/[-.]/g, '_');
      ctx.report({
        messageId: 'notPlaceholderNamesLetters',
        data: { placeholder: `{{ ${match[1]} }}` },
        range: rangeOf(ctx.file, start, start + match[0].length),
        suggestions: [replaceFix(`Rename to ${fixed}`, nameStart, nameStart + match[1].length, fixed)],
      });
    }
  },
  meta: {
    id: 'DEF908',
    slug: 'template-name-invalid',
    group: 'templating',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: '`{{ my-var }}`: template names are letters, digits and `_` only.',
    description: [
      'A placeholder name must match `\\w+`. `{{ my-var }}` or `{{ a.b }}` is not a placeholder at all: Apptainer',
      'leaves the text as is, without an error, and the literal braces reach the build.',
      '',
      '**Fix:** use `_` instead (the quick fix renames the placeholder; rename the `%arguments` key too).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:{{ alpine-version }}\n',
    good: 'Bootstrap: docker\nFrom: alpine:{{ alpine_version }}\n\n%arguments\n    alpine_version=3.19\n',
    source: 'AP-ARGS regex; deffile-format.md §13.1 (verified t11)',
    fixKind: 'suggestion',
    messages: {
      notPlaceholderNamesLetters: '{{ placeholder }} is not a placeholder (names are letters, digits and _): Apptainer leaves it as literal text',
    },
  },
});
