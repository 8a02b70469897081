// DEF602 pkg-cache-not-cleaned: yum/dnf/zypper/apk/conda/npm/yarn caches left in the image.
import { subcommand } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';
import { finalStageCommands, FINAL_STAGE_NOTE, FAMILIES } from '../../vocab/size-package-caches.js';

export const pkgCacheNotCleaned = defineRule({
  meta: {
    id: 'DEF602',
    slug: 'pkg-cache-not-cleaned',
    group: 'size',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'yum/dnf/zypper/apk/conda/npm/yarn caches left in the image.',
    description: [
      'Package managers keep downloaded packages and metadata in caches that only make the image',
      'bigger: clean them in the same stage (`dnf clean all`, `zypper clean --all`, `apk add',
      '--no-cache`, `conda clean -afy`, `npm cache clean --force`, `yarn cache clean`).',
      FINAL_STAGE_NOTE,
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: rockylinux:9\n\n%post\n    dnf install -y gcc\n',
    good: 'Bootstrap: docker\nFrom: rockylinux:9\n\n%post\n    dnf install -y gcc\n    dnf clean all\n',
    source: 'HL DL3032/3036/3040/3019/3060',
    needsShell: true,
    fixKind: 'safe',
    messages: {
      cacheStaysImage: 'The {{ family }} cache stays in the image: {{ advice }}.',
    },
  },
  check(ctx) {
    for (const { items } of finalStageCommands(ctx)) {
      for (const family of FAMILIES) {
        const installs = items.filter(([c]) => family.installs(c));
        const last = installs[installs.length - 1];
        if (!last) continue;
        const [cmd, script] = last;
        if (items.some(([c]) => c.range.start.offset > cmd.range.start.offset && family.cleans(c))) continue;
        const sub = subcommand(cmd);
        ctx.report({
          messageId: 'cacheStaysImage',
          data: { family: family.name, advice: family.advice },
          range: { start: cmd.nameRange.start, end: (sub ?? cmd).range.end },
          fix: family.fix(cmd, script, ctx),
        });
      }
    }
  },
});
