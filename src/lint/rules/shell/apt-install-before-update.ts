// DEF317 apt-install-before-update: `apt-get install` before any `apt-get update` in a fresh Debian/Ubuntu stage.
import { isAptGet, isAptGetInstall, isBuildSection } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';
import { PerCommands } from '../../vocab/lint-memo.js';
import { binShOfStage } from '../../vocab/base-image.js';

export const aptInstallBeforeUpdate = defineRule({
  create(ctx) {
    const updated = new Set<unknown>();
    return {
      script(script) {
        if (!isBuildSection(script.section)) return;
        for (const cmd of updatesAndInstalls.of(script.commands)) {
          if (updated.has(script.stage)) return;
          if (isAptGet(cmd, 'update')) {
            updated.add(script.stage);
            return;
          }
          const bootstrap = (script.stage.headerValues['bootstrap'] ?? '').trim().toLowerCase();
          if (bootstrap !== 'docker' || binShOfStage(ctx, script.stage) !== 'dash') continue;
          updated.add(script.stage); // once per stage
          ctx.report({
            messageId: 'beforeUpdate',
            range: cmd.nameRange,
          });
        }
      },
    };
  },
  meta: {
    id: 'DEF317',
    slug: 'apt-install-before-update',
    group: 'shell',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`apt-get install` before any `apt-get update` in a stage built from a Debian or Ubuntu registry image.',
    description: [
      'The Debian and Ubuntu images on container registries ship without package lists',
      '(`/var/lib/apt/lists` is empty), so `apt-get install` before an `apt-get update` in the same',
      'stage fails with "Unable to locate package". Run `apt-get update` first, in the same `%post`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get install -y --no-install-recommends curl\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get install -y --no-install-recommends curl\n',
    source: 'Docker official images: debian and ubuntu remove /var/lib/apt/lists/* (debuerreotype); HL DL3009 rationale',
    needsShell: true,
    messages: {
      beforeUpdate:
        '`apt-get install` before any `apt-get update` in this stage: the registry image has no package lists, so the install fails ("Unable to locate package").',
    },
  },
});

/** A script's `apt-get update`s and top-level `apt-get install`s, in order (kept per commands array). */
const updatesAndInstalls = new PerCommands((commands) => commands.filter((cmd) => isAptGet(cmd, 'update') || (isAptGetInstall(cmd) && !cmd.nested)));
