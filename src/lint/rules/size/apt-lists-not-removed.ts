// DEF601 apt-lists-not-removed: `apt-get update` without `rm -rf /var/lib/apt/lists/*` later in the stage.
import { isAptGet } from '../../shell/index.js';
import { appendLineToSection } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { PerCommands } from '../../vocab/lint-memo.js';
import { finalStageCommands, lastOffsetWhere, lastOfStage, lastWhere, removes, FINAL_STAGE_NOTE } from '../../vocab/size-package-caches.js';

export const aptListsNotRemoved = defineRule({
  check(ctx) {
    for (const { scripts } of finalStageCommands(ctx)) {
      const last = lastOfStage(scripts, (s) => aptListFacts.of(s.commands).update);
      if (!last) continue;
      const [update, script] = last;
      if (scripts.some((s) => aptListFacts.of(s.commands).cleaned > update.range.start.offset)) continue;
      ctx.report({
        messageId: 'aptGetUpdateLeaves',
        range: update.range,
        fix: appendLineToSection(ctx.file, script.section, 'rm -rf /var/lib/apt/lists/*', 'Append `rm -rf /var/lib/apt/lists/*`'),
      });
    }
  },
  meta: {
    id: 'DEF601',
    slug: 'apt-lists-not-removed',
    group: 'size',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`apt-get update` without `rm -rf /var/lib/apt/lists/*` later in the stage.',
    description: [
      'The package lists fetched by `apt-get update` take tens of megabytes and are useless in the',
      'finished image. Unlike a Dockerfile, a stage becomes one squashfs layer, so removing them',
      'anywhere later in the stage (any section) is enough.',
      FINAL_STAGE_NOTE,
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get install -y --no-install-recommends curl\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get install -y --no-install-recommends curl\n    rm -rf /var/lib/apt/lists/*\n',
    source: 'HL DL3009 (adapted); DFL apt-get_missing_rm',
    needsShell: true,
    fixKind: 'safe',
    messages: {
      aptGetUpdateLeaves: '`apt-get update` leaves its package lists in the image; add `rm -rf /var/lib/apt/lists/*` after the installs.',
    },
  },
});

/** Per script: its last `apt-get update`, and where it last removes the package lists (-1: never). */
const aptListFacts = new PerCommands((commands) => ({
  update: lastWhere(commands, (c) => isAptGet(c, 'update')),
  cleaned: lastOffsetWhere(commands, (c) => removes(c, /^\/var\/lib\/apt\/lists(\/\*?)?$/) || isAptGet(c, 'distclean', 'dist-clean')),
}));
