// DEF107 library-without-endpoint: `Bootstrap: library` without a `Library:` URL.
import { knownAgent, lastEntry } from '../../vocab/header.js';
import { defineRule } from '../../define-rule.js';

export const libraryWithoutEndpoint = defineRule({
  create: (ctx) => ({
    stage(stage) {
      const bootstrap = lastEntry(stage, 'bootstrap');
      if (!bootstrap || knownAgent(ctx, stage) !== 'library' || lastEntry(stage, 'library')) return;
      ctx.report({
        messageId: 'bootstrapLibraryWithoutLibrary',
        range: bootstrap.valueRange,
      });
    },
  }),
  meta: {
    id: 'DEF107',
    slug: 'library-without-endpoint',
    group: 'header',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`Bootstrap: library` without a `Library:` URL.',
    description: [
      'Apptainer has no default library endpoint: without `Library:` the build uses whatever library remote is',
      'configured on the building machine (`apptainer remote`), so the same file may pull from different places.',
      '',
      '**Fix:** add `Library: https://library.example.org` (or make sure every builder configures the remote).',
    ].join('\n'),
    bad: 'Bootstrap: library\nFrom: alpine:3.19\n',
    good: 'Bootstrap: library\nLibrary: https://library.sylabs.io\nFrom: alpine:3.19\n',
    source: 'AP-APPX (library agent); deffile-format.md §6',
    messages: {
      bootstrapLibraryWithoutLibrary: '`Bootstrap: library` without `Library:`: the image comes from whichever library remote the builder has configured',
    },
  },
});
