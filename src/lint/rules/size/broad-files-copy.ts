// DEF609 broad-files-copy: `%files` copies `.`, `/`, `$HOME` or a whole project tree.
import { defineRule } from '../../define-rule.js';
import { BROAD_SOURCES } from '../../vocab/size-image-contents.js';

export const broadFilesCopy = defineRule({
  create: (ctx) => ({
    section(section) {
      if (section.fromStage) return; // copying from another stage is explicit
      for (const entry of section.files ?? []) {
        const source = entry.source.replace(/^["']|["']$/g, '');
        if (!BROAD_SOURCES.has(source)) continue;
        ctx.report({
          messageId: 'filesCopiesEverythingEnds',
          data: { what: source === '.' || source === './' ? 'the whole build directory' : source },
          range: entry.sourceRange,
        });
      }
    },
  }),
  meta: {
    id: 'DEF609',
    slug: 'broad-files-copy',
    group: 'size',
    scope: 'section',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`%files` copies `.`, `/`, `$HOME` or a whole project tree.',
    description: [
      'Copying the whole build directory (or a home directory) puts everything in it into the image:',
      'version-control history, build outputs, data files, credentials. Copy the files the image needs,',
      'one line each.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%files\n    . /opt/app\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%files\n    src/app.py /opt/app/app.py\n',
    source: 'HL DL3067 (analogue)',
    messages: {
      filesCopiesEverythingEnds: '`%files` copies {{ what }}: everything in it ends up in the image.',
    },
  },
});
