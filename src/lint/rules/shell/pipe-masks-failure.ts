// DEF304: a pipeline hides the failure of every command but the last.
import { runsAtBuild, shellDetails } from '../../shell/index.js';
import { insertLineAtBodyStart } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';

export const pipeMasksFailure = defineRule({
  create: (ctx) => ({
    script(script) {
      if (!runsAtBuild(script.section)) return;
      const shellFlags = script.section.shell?.interpreter ?? '';
      if (/pipefail/.test(shellFlags)) return;
      const pipefailAt = script.setOptions.find((o) => o.option === 'pipefail')?.range.start.offset;
      const canPipefail = script.dialect === 'bash' || script.dialect === 'ksh' || script.dialect === 'zsh';
      for (const pipeline of shellDetails(script).pipelines) {
        if (pipefailAt !== undefined && pipefailAt < pipeline.range.start.offset) continue;
        const producers = pipeline.stages.slice(0, -1);
        if (producers.every((c) => c && HARMLESS_PRODUCERS.has(c.baseName) && c.redirects.every((r) => !r.op.startsWith('<')))) continue;
        const first = producers.find((c) => c && !HARMLESS_PRODUCERS.has(c.baseName));
        const fix = canPipefail
          ? insertLineAtBodyStart(ctx.file, script.section, 'set -o pipefail', 'Insert `set -o pipefail` at the top of the script')
          : undefined;
        ctx.report({
          messageId: canPipefail ? 'lastCommandDecides' : 'lastCommandDecidesNoPipefail',
          data: { failing: first ? `: a failing \`${first.name}\` goes unnoticed` : '', shell: script.section.shell?.interpreter ?? '/bin/sh' },
          range: pipeline.range,
          suggestions: fix ? [fix] : undefined,
        });
      }
    },
  }),
  meta: {
    id: 'DEF304',
    slug: 'pipe-masks-failure',
    group: 'shell',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'A pipeline in a build section hides failures of all but its last command.',
    description: [
      'The status of `a | b` is the status of `b`: in `curl -fsSL $URL | tar xz` a failed download',
      'is not noticed by `set -e` and the build goes on with missing files. bash can make the',
      'pipeline fail with `set -o pipefail`; POSIX sh (dash, ash) cannot.',
      '',
      'Fix: run the section with bash and `set -o pipefail` (`%post -c /bin/bash -eo pipefail`' +
        ' or `set -eo pipefail` first thing), or split the pipeline through a file.',
      'Pipelines fed by `echo`, `printf`, `cat` or `yes` are not reported.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    curl -fsSL https://example.org/tool-1.0.tar.gz | tar -xz -C /opt\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post -c /bin/bash\n    set -eo pipefail\n    curl -fsSL https://example.org/tool-1.0.tar.gz | tar -xz -C /opt\n',
    source: 'HL DL4006 (analogue); AP-BUILD',
    needsShell: true,
    fixKind: 'suggestion',
    messages: {
      lastCommandDecides: 'Only the last command of this pipeline decides its status{{ failing }}. Add `set -o pipefail`.',
      lastCommandDecidesNoPipefail:
        'Only the last command of this pipeline decides its status{{ failing }}, and {{ shell }} has no pipefail. Use `-c /bin/bash` with `set -o pipefail`, or split the pipeline.',
    },
  },
});

/** Commands that practically never fail, so masking their status loses nothing. */
const HARMLESS_PRODUCERS = new Set(['echo', 'printf', 'yes', 'true', 'cat']);
