// DEF218 pre-section: `%pre` runs on the host before the container exists.
import { sectionHeadRange } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';

export const preSection = defineRule({
  create: (ctx) => ({
    section(section) {
      if (section.kind !== 'standard' || section.name !== 'pre') return;
      ctx.report({
        messageId: 'preRunsBuildHost',
        range: sectionHeadRange(ctx.file, section),
      });
    },
  }),
  meta: {
    id: 'DEF218',
    slug: 'pre-section',
    group: 'sections',
    scope: 'section',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`%pre` runs on the host before the container exists.',
    description: [
      'Apptainer still runs `%pre` (on the host, as the building user, before bootstrap) but the current',
      'documentation no longer describes it. Its effects are on the build machine, not in the image.',
      '',
      '**Fix:** use `%setup` (host, with `$APPTAINER_ROOTFS`) or `%files`/`%post` instead.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%pre\n    echo preparing\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    echo preparing\n',
    source: 'AP-PARSER, AP-BUILD; deffile-format.md §8',
    messages: {
      preRunsBuildHost: '%pre runs on the build host before bootstrap and is undocumented: prefer %setup, %files or %post',
    },
  },
});
