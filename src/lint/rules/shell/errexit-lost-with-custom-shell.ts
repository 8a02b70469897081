// DEF302 errexit-lost-with-custom-shell: A build section with `-c <shell>` no longer stops at the first failing command.
import { isBuildSection, isHostSection } from '../../shell/index.js';
import { insertLineAtBodyStart } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { isFirstPartOfScript, startsWithErrexit } from '../../vocab/shell-errexit.js';

export const errexitLostWithCustomShell = defineRule({
  create: (ctx) => ({
    script(script) {
      const { section } = script;
      const shell = section.shell;
      if (!shell || shell.source !== 'args' || shell.errexit) return;
      if (!isBuildSection(section) && !isHostSection(section)) return;
      if (section.name === 'appinstall') return; // inherits %post's header, reported there
      if (!isFirstPartOfScript(script) || startsWithErrexit(script)) return;
      const fix = insertLineAtBodyStart(ctx.file, section, 'set -e', 'Insert `set -e` at the top of the script');
      ctx.report({
        messageId: 'runsUnderWithoutE',
        data: { section: section.name, interpreter: shell.interpreter },
        range: section.argsRange ?? section.lineRange,
        fix,
      });
    },
  }),
  meta: {
    id: 'DEF302',
    slug: 'errexit-lost-with-custom-shell',
    group: 'shell',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'A build section with `-c <shell>` no longer stops at the first failing command.',
    description: [
      'Without arguments the builder runs `%post` (and `%setup`, `%pre`) as `/bin/sh -ex script`, so',
      'any failing command stops the build. With `%post -c /bin/bash` it runs',
      '`/bin/sh -ex -c "/bin/bash script"`: the `-e` applies to the outer sh only, and bash runs the',
      'script without it. A command that fails in the middle is ignored and the build "succeeds".',
      '',
      'Fix: start the script with `set -e` (better `set -eo pipefail` in bash), or write',
      '`%post -c /bin/bash -e`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: rockylinux:9\n\n%post -c /bin/bash\n    dnf install -y make\n    make -C /opt/src\n',
    good: 'Bootstrap: docker\nFrom: rockylinux:9\n\n%post -c /bin/bash\n    set -eo pipefail\n    dnf install -y make\n    make -C /opt/src\n',
    source: 'AP-BUILD `getSectionScriptArgs`; LOCAL (rc 0 after `false`)',
    needsShell: true,
    fixKind: 'safe',
    messages: {
      runsUnderWithoutE:
        '%{{ section }} runs under `{{ interpreter }}` without -e: a failing command no longer stops the build. Start the script with `set -e`.',
    },
  },
});
