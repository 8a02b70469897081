// DEF315 nounset: Build section without `set -u` (opt-in).
import { isBuildSection, isHostSection } from '../../shell/index.js';
import { insertLineAtBodyStart } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { isFirstPartOfScript, partsOfScript } from '../../vocab/shell-errexit.js';

export const nounset = defineRule({
  create: (ctx) => ({
    script(script) {
      if (!isBuildSection(script.section) && !isHostSection(script.section)) return;
      if (!isFirstPartOfScript(script)) return;
      if (partsOfScript(ctx.scripts, script).some((part) => part.setOptions.some((o) => o.option === 'nounset'))) return;
      ctx.report({
        messageId: 'doesNotUseSet',
        data: { section: script.section.name },
        range: script.section.lineRange,
        fix: insertLineAtBodyStart(ctx.file, script.section, 'set -u', 'Insert `set -u` at the top of the script'),
      });
    },
  }),
  meta: {
    id: 'DEF315',
    slug: 'nounset',
    group: 'shell',
    defaultSeverity: 'off',
    presets: [],
    summary: 'Build section without `set -u` (opt-in).',
    description: [
      'With `set -u` a misspelled or unset variable stops the build instead of expanding to an empty',
      'string (`rm -rf "$PREFX/lib"`). Opt-in: many third-party scripts sourced in `%post` are not',
      '`-u` clean.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    PREFIX=/opt/app\n    mkdir -p "$PREFIX/bin"\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    set -u\n    PREFIX=/opt/app\n    mkdir -p "$PREFIX/bin"\n',
    source: 'shell hygiene',
    needsShell: true,
    fixKind: 'safe',
    messages: {
      doesNotUseSet: '%{{ section }} does not use `set -u`: unset variables silently expand to nothing.',
    },
  },
});
