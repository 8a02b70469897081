// DEF212 runscript-without-exec: The last command of `%runscript`/`%startscript`/`%apprun` is not started with `exec`.
import { stageScripts } from '../../vocab/shell-tree.js';
import { isEntrySection } from '../../vocab/sections.js';
import { q, rangeOf } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { lastSimpleCommand, firstWord } from '../../vocab/sections-scripts.js';

export const runscriptWithoutExec = defineRule({
  create: (ctx) => ({
    stage(stage) {
      for (const script of stageScripts(ctx, stage, isEntrySection)) {
        const last = lastSimpleCommand(script, ctx.file);
        if (!last) continue;
        const word = firstWord(ctx.file, last);
        ctx.report({
          messageId: 'endsWithoutExecShell',
          data: { section: script.section.name, word: q(word.text) },
          range: rangeOf(ctx.file, word.start, word.start + word.text.length),
          fix: { description: 'Start the last command with exec', edits: [{ start: word.start, end: word.start, text: 'exec ' }] },
        });
      }
    },
  }),
  meta: {
    id: 'DEF212',
    slug: 'runscript-without-exec',
    group: 'sections',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'The last command of `%runscript`/`%startscript`/`%apprun` is not started with `exec`.',
    description: [
      'Without `exec` the shell stays as the parent of the program: signals from `docker stop`-like tools, batch',
      'schedulers and `instance stop` reach the shell, not the program, and the exit path is longer. With `exec` the',
      'program replaces the shell.',
      '',
      '**Fix:** `exec program "$@"` (safe fix adds `exec`).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%runscript\n    python3 /opt/app/main.py "$@"\n',
    good: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%runscript\n    exec python3 /opt/app/main.py "$@"\n',
    source: 'AP-DEF (%runscript), SPY (writer emits `exec ... "$@"`)',
    fixKind: 'safe',
    needsShell: true,
    messages: {
      endsWithoutExecShell: '%{{ section }} ends with {{ word }} without `exec`: the shell stays in between and receives the signals',
    },
  },
});
