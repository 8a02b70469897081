// DEF300: the ShellCheck pass. The engine runs ShellCheck itself (src/lint/shellcheck.ts) when
// this rule is on and ShellCheck is enabled; findings carry ShellCheck's own `SCnnnn` codes and
// levels. Registered like any rule so it can be configured (`DEF300: off`), explained and documented.
import { defineRule } from '../../define-rule.js';

export const shellcheck = defineRule({
  create: () => ({}),
  meta: {
    id: 'DEF300',
    slug: 'shellcheck',
    group: 'shell',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'ShellCheck findings in script sections, reported as SCnnnn at their place in the def file.',
    description: [
      'Every shell section is checked by ShellCheck (when it is installed) in the dialect it runs in:',
      'build sections as `sh` unless `-c <shell>` says otherwise, `%runscript`/`%test`/`%startscript`',
      'from their `#!` line, `%environment` as `sh`. Variables the builder defines (`$APPTAINER_ROOTFS`,',
      '`$SINGULARITY_ENVIRONMENT`, `$SCIF_*`, ...) and names set in `%environment` are declared, and',
      "`-e` is assumed where the builder runs the section with it. Findings keep ShellCheck's level",
      '(error, warning, info, style) and code; `# shellcheck disable=SCnnnn` inside the section works',
      "as usual, and ShellCheck's own fixes are offered as quick fixes. SC1090/SC1091 (cannot follow a",
      'sourced file) are never reported: those files live inside the image.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    for f in $(ls /opt/data/*.csv); do gzip $f; done\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    for f in /opt/data/*.csv; do gzip "$f"; done\n',
    source: 'HL Shellcheck.hs/Shell.hs (adapted); ShellCheck `json1`',
    needsShell: true,
    fixKind: 'suggestion',
    // ShellCheck's findings carry its own codes and messages.
    messages: {},
  },
});
