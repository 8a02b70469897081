// DEF210 shebang-in-build-section: `#!` line in `%post`/`%setup`/`%pre` or an app script: it is only a comment.
import type { Fix } from '../../types.js';
import { endOfLineIncludingNewline, rangeOf, sectionWordSpan } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { SHELLS, SHEBANG_IGNORED, firstNonBlank } from '../../vocab/sections-scripts.js';

export const shebangInBuildSection = defineRule({
  create: (ctx) => ({
    section(section) {
      if (section.kind === 'unknown' || !SHEBANG_IGNORED.has(section.name)) return;
      const first = firstNonBlank(section);
      if (!first || !first.text.trim().startsWith('#!')) return;
      const interpreter = first.text.trim().slice(2).trim();
      if (/^\/bin\/sh(\s|$)/.test(interpreter)) return;
      const start = first.offset + first.text.indexOf('#!');
      const suggestions: Fix[] = [];
      const shell = SHELLS.exec(interpreter);
      if (shell && (section.name === 'post' || section.name === 'setup' || section.name === 'pre') && section.args.trim() === '') {
        const span = sectionWordSpan(ctx.file, section);
        const interpreterPath = interpreter.split(/\s+/)[0] === '/usr/bin/env' ? `/usr/bin/env ${shell[1] ?? shell[2]}` : interpreter.split(/\s+/)[0];
        suggestions.push({
          description: `Run the section with ${interpreterPath} -e`,
          edits: [
            { start: span.wordEnd, end: span.lineEnd, text: ` -c ${interpreterPath} -e` },
            { start: first.offset, end: endOfLineIncludingNewline(ctx.file.text, first.offset), text: '' },
          ],
        });
      }
      const runsWith = section.name === 'appinstall' ? "%post's interpreter" : '/bin/sh';
      ctx.report({
        messageId: 'onlyCommentScriptRuns',
        data: { section: section.name, runsWith },
        range: rangeOf(ctx.file, start, first.offset + first.text.trimEnd().length),
        suggestions,
      });
    },
  }),
  meta: {
    id: 'DEF210',
    slug: 'shebang-in-build-section',
    group: 'sections',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`#!` line in `%post`/`%setup`/`%pre` or an app script: it is only a comment.',
    description: [
      '`%post`, `%setup` and `%pre` always run with `/bin/sh -e`; `%apprun`, `%appstart` and `%apptest` get a fixed',
      '`#!/bin/sh` header; `%appinstall` runs inside `%post`. A `#!/bin/bash` first line there is a plain comment,',
      'so bash syntax in the body fails under dash.',
      '',
      '**Fix:** choose the interpreter with the section arguments: `%post -c /bin/bash -e` keeps failing commands',
      'fatal (the quick fix does this). For app scripts, call the interpreter explicitly.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:24.04\n\n%post\n    #!/bin/bash\n    apt-get update\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:24.04\n\n%post -c /bin/bash -e\n    apt-get update\n',
    source: 'AP-DEF (%post note), AP-BUILD; deffile-format.md §8, §11.2',
    fixKind: 'suggestion',
    messages: {
      onlyCommentScriptRuns: '`#!` in %{{ section }} is only a comment: the script runs with {{ runsWith }}',
    },
  },
});
