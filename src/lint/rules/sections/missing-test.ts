// DEF215 missing-test: The image has no `%test`.
import { defineRule } from '../../define-rule.js';
import { reportMissingSection } from '../../vocab/sections-presence.js';

export const missingTest = defineRule({
  check(ctx) {
    reportMissingSection(ctx, 'test', 'noTest', {
      text: '%test\n    # run the main program once, e.g.: mytool --version\n    true\n',
      description: 'Add a %test stub',
    });
  },
  meta: {
    id: 'DEF215',
    slug: 'missing-test',
    group: 'sections',
    defaultSeverity: 'off',
    presets: [],
    summary: 'The image has no `%test`.',
    description: [
      '`%test` runs at the end of the build (and with `apptainer test`): a short smoke test catches a broken image',
      'before anyone uses it. Off by default.',
      '',
      '**Fix:** add a `%test` section that runs the main program once.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%runscript\n    exec echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%runscript\n    exec echo hi\n\n%test\n    echo hi | grep -q hi\n',
    source: 'AP-DEF (%test)',
    fixKind: 'suggestion',
    messages: {
      noTest: 'No %test section: nothing checks the image at the end of the build',
    },
  },
});
