// DEF602 pkg-cache-not-cleaned: yum/dnf/zypper/apk/conda/npm/yarn caches left in the image.
import { isRm, packageManager, subcommand } from '../../shell/index.js';
import type { ShellCommand } from '../../types.js';
import { defineRule } from '../../define-rule.js';
import { PerCommands } from '../../vocab/lint-memo.js';
import { finalStageCommands, lastOffsetWhere, lastOfStage, lastWhere, FINAL_STAGE_NOTE, FAMILIES } from '../../vocab/size-package-caches.js';

export const pkgCacheNotCleaned = defineRule({
  check(ctx) {
    for (const { scripts } of finalStageCommands(ctx)) {
      FAMILIES.forEach((family, i) => {
        const last = lastOfStage(scripts, (s) => familyFacts.of(s.commands)[i].install);
        if (!last) return;
        const [cmd, script] = last;
        if (scripts.some((s) => familyFacts.of(s.commands)[i].cleaned > cmd.range.start.offset)) return;
        const sub = subcommand(cmd);
        ctx.report({
          messageId: 'cacheStaysImage',
          data: { family: family.name, advice: family.advice },
          range: { start: cmd.nameRange.start, end: (sub ?? cmd).range.end },
          fix: family.fix(cmd, script, ctx),
        });
      });
    }
  },
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
});

/**
 * Per script and cache family: the script's last install, and where it last cleans the cache (-1:
 * never). Only a package manager or `rm` can install or clean: the families (twelve passes) look
 * at those commands alone, in the same order, so the last of each is the same.
 */
const familyFacts = new PerCommands((commands) => {
  const candidates = commands.filter(mayInstallOrClean);
  return FAMILIES.map((family) => ({
    install: lastWhere(candidates, (c) => family.installs(c)),
    cleaned: lastOffsetWhere(candidates, (c) => family.cleans(c)),
  }));
});

function mayInstallOrClean(cmd: ShellCommand): boolean {
  return packageManager(cmd) !== undefined || isRm(cmd);
}
