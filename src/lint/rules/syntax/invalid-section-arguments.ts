// DEF009 invalid-section-arguments: Section arguments that Apptainer ignores, or that break the section.
import type { Fix } from '../../types.js';
import { q, rangeOf, sectionWordSpan } from '../../vocab/text.js';
import { replaceFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { IGNORED_ARGS } from '../../vocab/syntax-sections.js';

export const invalidSectionArguments = defineRule({
  create: (ctx) => ({
    section(section) {
      if (section.kind === 'unknown') return;
      const span = sectionWordSpan(ctx.file, section);
      const argsStart = Math.min(span.wordEnd + 1, span.lineEnd);
      const args = ctx.file.text.slice(argsStart, span.lineEnd);
      const argsRange = () => rangeOf(ctx.file, argsStart, span.lineEnd);
      const removeArgs = (what: string): Fix => replaceFix(what, span.wordEnd, span.lineEnd, '');
      if (section.kind === 'app') {
        // `%apprun name extra...`: Go's SplitN(line, " ", 3) keeps only the name.
        const afterWord = ctx.file.text.slice(span.wordEnd, span.lineEnd);
        const parts = afterWord.startsWith(' ') ? afterWord.slice(1).split(' ') : [];
        if (parts.length < 2) return;
        const extraStart = span.wordEnd + 1 + parts[0].length + 1;
        const extra = ctx.file.text.slice(extraStart, span.lineEnd);
        if (extra.trim() === '' || extra.trim().startsWith('#')) return;
        ctx.report({
          messageId: 'wordsAfterAppName',
          data: { extra: q(extra.trim()) },
          range: rangeOf(ctx.file, extraStart, span.lineEnd),
          suggestions: [replaceFix('Remove the ignored words', extraStart - 1, span.lineEnd, '')],
        });
        return;
      }
      if (IGNORED_ARGS.has(section.name)) {
        const trimmed = args.trim();
        if (trimmed === '' || trimmed.startsWith('#')) return;
        ctx.report({
          messageId: 'takesNoArgumentsIgnored',
          data: { section: section.name, trimmed: q(trimmed), hint: section.name === 'labels' ? ' (labels go on the lines below)' : '' },
          range: argsRange(),
          suggestions: [removeArgs('Remove the ignored arguments')],
        });
        return;
      }
      const cut = args.split('#')[0];
      if (section.name === 'pre' || section.name === 'setup' || section.name === 'post') {
        const words = cut.trim().split(/\s+/).filter(Boolean);
        const c = words.indexOf('-c');
        if (c !== -1 && c === words.length - 1) {
          ctx.report({
            messageId: 'dashCWithoutCommand',
            data: { section: section.name },
            range: argsRange(),
            severity: 'error',
          });
        }
        return;
      }
      if (section.name === 'files') {
        if (cut === '') return;
        const words = cut.trim().split(/\s+/).filter(Boolean);
        if (words.length === 2) {
          if (words[0] !== 'from') {
            const wordStart = argsStart + args.indexOf(words[0]);
            ctx.report({
              messageId: 'filesCopiesFromStage',
              data: { first: words[0], second: words[1], stage: q(words[1]) },
              range: rangeOf(ctx.file, wordStart, wordStart + words[0].length),
              suggestions: [replaceFix('Write `from`', wordStart, wordStart + words[0].length, 'from')],
            });
          }
          return;
        }
        ctx.report({
          messageId: words.length === 0 ? 'filesFollowedExtraSpaces' : 'filesArgumentsApptainerSilently',
          data: { cut: q(cut.trim()) },
          range: words.length === 0 ? rangeOf(ctx.file, span.wordEnd, span.lineEnd) : argsRange(),
          severity: 'error',
          suggestions: words.length === 0 ? [removeArgs('Remove the trailing spaces')] : [],
        });
      }
    },
  }),
  meta: {
    id: 'DEF009',
    slug: 'invalid-section-arguments',
    group: 'syntax',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Section arguments that Apptainer ignores, or that break the section.',
    description: [
      '* `%help`, `%labels`, `%environment` and `%arguments` take no arguments: words after the name are ignored.',
      '* App sections take exactly one word, the app name; anything after it is dropped.',
      '* `%pre`, `%setup`, `%post` with `-c` and nothing after it fail at build time',
      "  (`bad post section '-c' parameter: missing arguments`) — reported as an error.",
      '* `%files` accepts nothing or exactly two words (`from <stage>`). Any other arguments (`%files from`,',
      '  `%files from a b`, a single word, two trailing spaces) make Apptainer **silently skip the whole block** —',
      '  reported as an error. With two words the first one is not checked (`%files to s1` copies from `s1`).',
      '',
      '**Fix:** remove the ignored words, or write `%files from <stage>`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels Author me\n    Version 1.0\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    Author me\n    Version 1.0\n',
    source: 'AP-PARSER, AP-BUILD `getSectionScriptArgs`, `stage.go:copyFiles`; deffile-format.md §8, §9.2, §11.1',
    fixKind: 'suggestion',
    scope: 'section',
    messages: {
      wordsAfterAppName: 'Words after the app name are ignored: {{ extra }}',
      takesNoArgumentsIgnored: '%{{ section }} takes no arguments: {{ trimmed }} is ignored{{ hint }}',
      dashCWithoutCommand: '%{{ section }} -c without a command: the build fails with "bad {{ section }} section \'-c\' parameter: missing arguments"',
      filesCopiesFromStage: '%files {{ first }} {{ second }} copies from stage {{ stage }} (the first word is not checked); write `from`',
      filesFollowedExtraSpaces: '%files followed by extra spaces: Apptainer silently skips this whole block (only `%files` or `%files from <stage>` work)',
      filesArgumentsApptainerSilently: '%files arguments {{ cut }}: Apptainer silently skips this whole block (only `%files` or `%files from <stage>` work)',
    },
  },
});
