// DEF211 shebang-not-first: `#!` in `%runscript`/`%startscript`/`%test` that is not on the first body line.
import { endOfLineIncludingNewline, rangeOf } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { SHEBANG_HONOURED } from '../../vocab/sections-scripts.js';

export const shebangNotFirst = defineRule({
  create: (ctx) => ({
    section(section) {
      if (section.kind === 'unknown' || !SHEBANG_HONOURED.has(section.name)) return;
      const lines = section.bodyLines;
      let index = 0;
      while (
        index < lines.length &&
        (lines[index].text.trim() === '' || (lines[index].text.trim().startsWith('#') && !lines[index].text.trim().startsWith('#!')))
      )
        index++;
      if (index === 0 || index >= lines.length || !lines[index].text.trim().startsWith('#!')) return;
      const shebang = lines[index];
      const first = lines[0];
      const shebangText = shebang.text.trim();
      ctx.report({
        messageId: 'honouredOnlyFirstLine',
        data: { section: section.name },
        range: rangeOf(ctx.file, shebang.offset + shebang.text.indexOf('#!'), shebang.offset + shebang.text.trimEnd().length),
        fix: {
          description: 'Move the #! line to the top of the section',
          edits: [
            { start: first.offset, end: first.offset, text: `${shebang.text.slice(0, shebang.text.indexOf('#!'))}${shebangText}\n` },
            { start: shebang.offset, end: endOfLineIncludingNewline(ctx.file.text, shebang.offset), text: '' },
          ],
        },
      });
    },
  }),
  meta: {
    id: 'DEF211',
    slug: 'shebang-not-first',
    group: 'sections',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`#!` in `%runscript`/`%startscript`/`%test` that is not on the first body line.',
    description: [
      'For these sections Apptainer uses a `#!` interpreter only if it is the very first line of the body. After a',
      'comment the `#!` line is ignored (the script runs with `/bin/sh`); after a blank line the "shebang" becomes',
      'that empty line and the interpreter request is lost.',
      '',
      '**Fix:** move the `#!` line to the top of the section (safe fix).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%runscript\n    # start the app\n    #!/usr/bin/env python3\n    print("hi")\n',
    good: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%runscript\n    #!/usr/bin/env python3\n    # start the app\n    print("hi")\n',
    source: 'AP-BUILD `metadata.go:handleShebangScript`; deffile-format.md §8',
    fixKind: 'safe',
    messages: {
      honouredOnlyFirstLine: '`#!` is honoured only on the first line of %{{ section }}: here it is a comment and the interpreter request is lost',
    },
  },
});
