// DEF214 missing-help: The image has no `%help`.
import { defineRule } from '../../define-rule.js';
import { reportMissingSection } from '../../vocab/sections-presence.js';

export const missingHelp = defineRule({
  check(ctx) {
    reportMissingSection(ctx, 'help', 'noHelp', {
      text: '%help\n    Describe what this container does and how to run it.\n',
      description: 'Add a %help stub',
    });
  },
  meta: {
    id: 'DEF214',
    slug: 'missing-help',
    group: 'sections',
    defaultSeverity: 'off',
    presets: ['hpc'],
    summary: 'The image has no `%help`.',
    description: [
      '`apptainer run-help image` shows the `%help` text; without it users have to guess what the container does and',
      'how to run it. Only the final stage counts (apps are checked by DEF805).',
      '',
      'Off by default (on in the `hpc` and `strict` presets): 78% of the real-world recipes in our corpus have no',
      '`%help`, so in the default preset it would drown the findings that matter.',
      '',
      '**Fix:** add a `%help` section (the quick fix adds a stub).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%runscript\n    exec echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%help\n    Prints a greeting.\n\n%runscript\n    exec echo hi\n',
    source: 'AP-BP #2',
    fixKind: 'suggestion',
    messages: {
      noHelp: 'No %help section: `apptainer run-help` has nothing to show',
    },
  },
});
