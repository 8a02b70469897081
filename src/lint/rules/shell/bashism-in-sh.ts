// DEF301: bash-only syntax in a section that /bin/sh runs.
import type { ParsedFile } from '../../../parse/model.js';
import { isEnvironmentSection, shellDetails } from '../../shell/index.js';
import type { Fix, ShellScript } from '../../types.js';
import { insertFix, lineBreak } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { binShOfStage } from '../../vocab/base-image.js';

export const bashismInSh = defineRule({
  create: (ctx) => ({
    script(script) {
      if (script.dialect !== 'sh' && script.dialect !== 'dash') return;
      if (isEnvironmentSection(script.section)) return; // DEF205 covers %environment
      const bashisms = shellDetails(script).bashisms;
      if (bashisms.length === 0) return;
      // An explicit `-c /bin/dash` is dash; plain /bin/sh is whatever the base image has.
      const sh = script.dialect === 'dash' ? 'dash' : binShOfStage(ctx, script.stage);
      const fix = bashFix(script, ctx.file);
      const shell = script.section.shell?.interpreter ?? '/bin/sh';
      for (const b of bashisms) {
        ctx.report({
          messageId: sh === 'dash' ? 'onDash' : sh === 'ash' ? 'onAsh' : sh === 'bash' ? 'onBash' : 'bashSyntaxButRuns',
          data: { construct: b.construct, section: script.section.name, shell, fails: whenItFails(script.section.name) },
          range: b.range,
          severity: sh === 'dash' ? 'error' : sh === 'bash' ? 'info' : undefined,
          suggestions: fix ? [fix] : undefined,
        });
      }
    },
  }),
  meta: {
    id: 'DEF301',
    slug: 'bashism-in-sh',
    group: 'shell',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Bash-only syntax in a section that runs under /bin/sh.',
    description: [
      'Build sections run under `/bin/sh` unless the section header says `-c /bin/bash`, and',
      '`%runscript`/`%test`/`%startscript` run under `/bin/sh` unless they start with a `#!` line.',
      'On Debian and Ubuntu `/bin/sh` is dash, on Alpine it is busybox ash: `[[ ]]`, arrays,',
      "`source`, `function f`, brace expansion, `$'...'`, `==` inside `[ ]` and `set -o pipefail`",
      'make the build fail there. The finding is an error when the base image is known to use such a',
      'shell and a warning otherwise (on RHEL-like bases `/bin/sh` is bash and the script works,',
      'but only by accident). Works without ShellCheck.',
      '',
      'Fix: write POSIX sh, or run the section with bash (`%post -c /bin/bash -e`).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    if [[ -d /opt ]]; then\n        echo found\n    fi\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    if [ -d /opt ]; then\n        echo found\n    fi\n',
    source: 'AP-DEF (sh default); LOCAL (dash exits 2 on `set -o pipefail`)',
    needsShell: true,
    fixKind: 'suggestion',
    messages: {
      bashSyntaxButRuns: '{{ construct }} is bash syntax, but %{{ section }} runs under {{ shell }}.',
      onDash: '{{ construct }} is bash syntax, but %{{ section }} runs under {{ shell }}, which is dash on this base image: {{ fails }}.',
      onAsh:
        "{{ construct }} is bash syntax, but %{{ section }} runs under {{ shell }}, which is BusyBox ash on this base image: ash accepts some bash syntax ([[ ]], source, $'...') but not all of it.",
      onBash:
        '{{ construct }} is bash syntax; %{{ section }} runs under {{ shell }}, which is bash on this base image, so it works here but not on Debian/Alpine bases.',
    },
  },
});

/** Where the failure shows: build sections fail the build, the others fail when run. */
function whenItFails(section: string): string {
  return ['post', 'setup', 'pre', 'test', 'appinstall', 'apptest'].includes(section) ? 'the build fails' : 'the script fails when run';
}

function bashFix(script: ShellScript, file: ParsedFile): Fix | undefined {
  const { section } = script;
  if (['post', 'setup', 'pre'].includes(section.name) && !section.hasArgs) {
    return insertFix('Run this section with bash (`-c /bin/bash -e`)', section.nameRange.end.offset, ' -c /bin/bash -e');
  }
  if (['runscript', 'startscript', 'test'].includes(section.name) && section.shell?.source === 'default' && section.bodyLines[0]) {
    return insertFix('Start the script with `#!/bin/bash`', section.bodyLines[0].offset, `#!/bin/bash${lineBreak(file)}`);
  }
  return undefined;
}
