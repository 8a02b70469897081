// DEF801 app-name-missing: App section with an empty app name (two spaces after the section word).
import { PARSER_MESSAGES, reportParserDiagnostics } from '../../vocab/diagnostics.js';
import { sectionLineRange, sectionWordSpan } from '../../vocab/text.js';
import { replaceFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';

export const appNameMissing = defineRule({
  create(ctx) {
    const reported = reportParserDiagnostics(ctx, 'DEF801');
    return {
      section(section) {
        if (section.kind !== 'app' || section.app !== '' || reported.has(section.lineRange.start.line)) return;
        const span = sectionWordSpan(ctx.file, section);
        let end = span.wordEnd;
        while (end < span.lineEnd && ctx.file.text[end] === ' ') end++;
        ctx.report({
          messageId: 'followedTwoSpacesHas',
          data: { section: section.name },
          range: sectionLineRange(ctx.file, section),
          suggestions: end < span.lineEnd ? [replaceFix('Use a single space', span.wordEnd, end, ' ')] : [],
        });
      },
    };
  },
  meta: {
    id: 'DEF801',
    slug: 'app-name-missing',
    group: 'apps',
    scope: 'section',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'App section with an empty app name (two spaces after the section word).',
    description: [
      'The app name is the second piece when the line is split on single spaces: `%apprun  foo` (two spaces) has',
      'the app name `""` and `foo` is dropped. The parse succeeds but the build fails',
      '(`no BuildApp record for app`). A section with no name at all is DEF017.',
      '',
      '**Fix:** a single space between the section word and the app name.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%apprun  hello\n    exec echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%apprun hello\n    exec echo hi\n',
    source: 'AP-PARSER; deffile-format.md §11.1 (verified a02)',
    fixKind: 'suggestion',
    messages: {
      ...PARSER_MESSAGES,
      followedTwoSpacesHas: '%{{ section }} followed by two spaces has an empty app name: the build fails ("no BuildApp record for app")',
    },
  },
});
