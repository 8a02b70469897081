// DEF109 hash-in-header-value: A `#` inside a header value cuts it.
import { endOfLine, q, rangeOf } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';

export const hashInHeaderValue = defineRule({
  create: (ctx) => ({
    headerEntry(entry) {
      if (entry.comment === '' || entry.value === '') return;
      const hash = entry.valueRange.end.offset;
      if (ctx.file.text[hash] !== '#') return;
      const lineEnd = endOfLine(ctx.file.text, hash);
      const cutText = ctx.file.text.slice(hash, lineEnd).trimEnd();
      ctx.report({
        messageId: 'cutsValueApptainerStores',
        data: { entry: q(entry.value), cutText: q(cutText) },
        range: rangeOf(ctx.file, hash, hash + cutText.length),
      });
    },
  }),
  meta: {
    id: 'DEF109',
    slug: 'hash-in-header-value',
    group: 'header',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'A `#` inside a header value cuts it.',
    description: [
      'Header lines are cut at the first `#`, wherever it is: `MirrorURL: http://host/path#frag` stores',
      '`http://host/path`, `From: repo/image#tag` stores `repo/image`. A `#` after a space is a normal comment and',
      'is not reported.',
      '',
      '**Fix:** remove the `#` part, or encode it (`%23` in URLs).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: registry.example.org/team/app#v2\n',
    good: 'Bootstrap: docker\nFrom: registry.example.org/team/app:v2 # pinned\n',
    source: 'AP-PARSER `doHeader`; deffile-format.md §5.2 (verified h07), §16 item 25',
    messages: {
      cutsValueApptainerStores: '`#` cuts this value: Apptainer stores {{ entry }} and drops {{ cutText }}',
    },
  },
});
