// DEF205 environment-posix: `%environment` uses bash-only syntax, functions, aliases or shell hooks.
import { shellDetails } from '../../shell/index.js';
import { isEnvironmentSection } from '../../vocab/sections.js';
import { defineRule } from '../../define-rule.js';
import { hookAdvice } from '../../vocab/sections-environment.js';

export const environmentPosix = defineRule({
  meta: {
    id: 'DEF205',
    slug: 'environment-posix',
    group: 'sections',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`%environment` uses bash-only syntax, functions, aliases or shell hooks.',
    description: [
      '`%environment` is copied into `/.singularity.d/env/90-environment.sh`, a `#!/bin/sh` file **sourced** by the',
      "container's `/bin/sh` before the runscript or `exec` command. On dash/ash based images bash syntax (`[[ ]]`,",
      '`source`, arrays, `${x//a/b}`) breaks every start; functions and aliases never reach the program; `conda',
      'activate` and `module load` need shell hooks that are not there.',
      '',
      '**Fix:** plain POSIX `export NAME=value` lines.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%environment\n    source /opt/conda/etc/profile.d/conda.sh\n    conda activate base\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%environment\n    export PATH=/opt/conda/bin:$PATH\n',
    source: 'AP-BUILD `insertEnvScript`; AP-DEF (%environment note)',
    needsShell: true,
    messages: {
      bashOnly: '{{ where }}: {{ construct }} is bash-only',
      functionDoesNotReach: '{{ where }}: function {{ f }} does not reach the program the runscript starts',
      hookAdvice: '{{ where }}: {{ advice }}',
    },
  },
  create(ctx) {
    return {
      script(script) {
        const { section } = script;
        if (!isEnvironmentSection(section)) return;
        const details = shellDetails(script);
        const where = `%${section.name}`;
        for (const b of details.bashisms) ctx.report({ messageId: 'bashOnly', data: { where, construct: b.construct }, range: b.range });
        for (const f of details.functions) {
          ctx.report({ messageId: 'functionDoesNotReach', data: { where, f: f.name }, range: f.range });
        }
        for (const cmd of script.commands) {
          const advice = hookAdvice(cmd);
          if (advice) ctx.report({ messageId: 'hookAdvice', data: { where, advice }, range: cmd.nameRange });
        }
      },
    };
  },
});
