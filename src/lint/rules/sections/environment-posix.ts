// DEF205 environment-posix: `%environment` uses bash-only syntax, functions, aliases or shell hooks.
import { shellDetails } from '../../shell/index.js';
import { isEnvironmentSection } from '../../vocab/sections.js';
import { defineRule } from '../../define-rule.js';
import { hookAdvice } from '../../vocab/sections-environment.js';

export const environmentPosix = defineRule({
  create: (ctx) => ({
    script(script) {
      const { section } = script;
      if (!isEnvironmentSection(section)) return;
      const details = shellDetails(script);
      const where = `%${section.name}`;
      for (const f of details.functions) {
        ctx.report({ messageId: 'functionDoesNotReach', data: { where, f: f.name }, range: f.range });
      }
    },
    command(cmd, script) {
      if (!isEnvironmentSection(script.section)) return;
      const advice = hookAdvice(cmd);
      if (advice) ctx.report({ messageId: 'hookAdvice', data: { where: `%${script.section.name}`, advice }, range: cmd.nameRange });
    },
  }),
  meta: {
    id: 'DEF205',
    slug: 'environment-posix',
    group: 'sections',
    scope: 'section',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`%environment` defines functions or aliases, or needs shell hooks (`conda activate`, `module load`).',
    description: [
      '`%environment` is copied into `/.singularity.d/env/90-environment.sh` and **sourced** before the runscript or',
      "`exec` command by Apptainer's own embedded shell interpreter (mvdan.cc/sh, since Singularity 3.6), not by the",
      "image's `/bin/sh`: bash syntax (`source`, `[[ ]]`, arrays) works there on every base image. What does not",
      'work: functions and aliases never reach the program; `conda activate` and `module load` need shell hooks',
      'that are not there.',
      '',
      '**Fix:** plain `export NAME=value` lines.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%environment\n    source /opt/conda/etc/profile.d/conda.sh\n    conda activate base\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%environment\n    export PATH=/opt/conda/bin:$PATH\n',
    source:
      'AP-BUILD `insertEnvScript`; AP-DEF (%environment note); apptainer/apptainer internal/pkg/util/fs/files/action_scripts.go (the action script, bash syntax, run by internal/pkg/util/shell/interpreter)',
    needsShell: true,
    messages: {
      functionDoesNotReach: '{{ where }}: function {{ f }} does not reach the program the runscript starts',
      hookAdvice: '{{ where }}: {{ advice }}',
    },
  },
});
