// DEF010 tab-in-section-header: Tab after the section name: Apptainer cuts the name at the first space only.
import { PARSER_MESSAGES, reportParserDiagnostics } from '../../vocab/diagnostics.js';
import { q, rangeOf } from '../../vocab/text.js';
import { replaceFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { tabbedSectionLines } from '../../vocab/syntax-sections.js';

export const tabInSectionHeader = defineRule({
  check(ctx) {
    const tabs = tabbedSectionLines(ctx);
    const fixFor = (tabStart: number, tabEnd: number) => replaceFix('Replace the tab by a space', tabStart, tabEnd, ' ');
    const reported = reportParserDiagnostics(ctx, 'DEF010', {
      extra: (diagnostic) => {
        const tab = tabs.get(diagnostic.range.start.line);
        return tab ? { range: rangeOf(ctx.file, tab.tabStart, tab.tabEnd), fix: fixFor(tab.tabStart, tab.tabEnd) } : {};
      },
    });
    for (const [line, { tabStart, tabEnd, name }] of tabs) {
      if (reported.has(line)) continue;
      ctx.report({
        messageId: 'tabAfterApptainerReads',
        data: { section: q('%' + name) },
        range: rangeOf(ctx.file, tabStart, tabEnd),
        fix: fixFor(tabStart, tabEnd),
      });
    }
  },
  meta: {
    id: 'DEF010',
    slug: 'tab-in-section-header',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'Tab after the section name: Apptainer cuts the name at the first space only.',
    description: [
      'The section name ends at the first ASCII space. A tab is part of the name, so `%post<TAB>-c /bin/bash` is',
      'the section `post\\t-c`, which is invalid, and the build fails.',
      '',
      '**Fix:** use a space between the section word and its arguments (the fix does it).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\t-c /bin/sh\n    echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post -c /bin/sh\n    echo hi\n',
    source: 'AP-PARSER `getSectionName`; deffile-format.md §7.1 (verified s05, s29, a05)',
    fixKind: 'safe',
    messages: {
      ...PARSER_MESSAGES,
      tabAfterApptainerReads: 'Tab after {{ section }}: Apptainer reads the section name up to the first space, so this is an invalid section',
    },
  },
});
