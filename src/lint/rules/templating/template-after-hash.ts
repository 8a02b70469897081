// DEF905 template-after-hash: `{{ NAME }}` after a `#` on the same line is not substituted.
import { startOfLine } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';

export const templateAfterHash = defineRule({
  create: (ctx) => ({
    chunk(stage) {
      for (const placeholder of stage.placeholders) {
        if (!placeholder.skipped) continue;
        const lineStart = startOfLine(ctx.file.text, placeholder.range.start.offset);
        const commentLine = ctx.file.text.slice(lineStart, placeholder.range.start.offset).trimStart().startsWith('#');
        ctx.report({
          messageId: commentLine ? 'commentLineApptainerDoes' : 'earlierLineStopsApptainer',
          data: { placeholder: `{{ ${placeholder.name} }}` },
          range: placeholder.range,
          severity: commentLine ? 'info' : undefined,
        });
      }
    },
  }),
  meta: {
    id: 'DEF905',
    slug: 'template-after-hash',
    group: 'templating',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`{{ NAME }}` after a `#` on the same line is not substituted.',
    description: [
      'Apptainer leaves a placeholder alone when a `#` followed by any character other than `!` appears before it',
      'on its line — in a comment (info: probably intended), but also after a trailing comment, inside a quoted',
      'string or a URL fragment (`echo "#1 {{ X }}"`): then the literal `{{ X }}` reaches the script (warning).',
      '',
      '**Fix:** move the placeholder before the `#`, or build the string without `#` on that line.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%arguments\n    N=4\n\n%post\n    echo "#jobs: {{ N }}" > /etc/jobs\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%arguments\n    N=4\n\n%post\n    echo "jobs: {{ N }}" > /etc/jobs\n',
    source: 'AP-ARGS `reader.go` (`commentLineRegexp`); deffile-format.md §13.3',
    messages: {
      commentLineApptainerDoes: '{{ placeholder }} is in a comment line: Apptainer does not substitute it',
      earlierLineStopsApptainer: 'A `#` earlier on this line stops Apptainer from substituting {{ placeholder }}: the literal text stays in the file',
    },
  },
});
