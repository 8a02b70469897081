// DEF207 environment-var-used-at-build: A variable defined only in `%environment` is used in `%post`/`%setup`.
import { assignedNames, isAmbient, stageScripts, variableReads } from '../../vocab/shell-tree.js';
import { q } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import type { ShellCommand } from '../../types.js';
import { environmentVariables, BUILD_TIME } from '../../vocab/sections-environment.js';

export const environmentVarUsedAtBuild = defineRule({
  create: (ctx) => ({
    stage(stage) {
      const envVars = environmentVariables(ctx, stage);
      // Only names that are not in every process already can be a finding (PATH, LANG... are).
      if (![...envVars.keys()].some((name) => !isAmbient(name))) return;
      for (const script of stageScripts(ctx, stage, (section) => BUILD_TIME.has(section.name))) {
        const { section } = script;
        const assigned = assignedNames(script, ctx.file);
        const reported = new Set<string>();
        // Past a shell syntax error the tree is a guess (e.g. a heredoc closed too early): no claims.
        const trustedEnd = Math.min(...script.syntaxErrors.map((range) => range.start.offset));
        // After `source setvars.sh` (or `. /etc/profile.d/x.sh`, `eval "$(...)"`, `module load`) the
        // variable may well be set: what the sourced file does is not visible here.
        const sourcedAt = Math.min(...script.commands.filter(setsUnknownVariables).map((cmd) => cmd.range.start.offset));
        for (const read of variableReads(script, ctx.file)) {
          if (read.range.start.offset >= trustedEnd) break;
          if (read.range.start.offset > sourcedAt) continue;
          const { name } = read;
          if (!envVars.has(name) || assigned.has(name) || isAmbient(name) || reported.has(name) || read.hasDefault) continue;
          reported.add(name);
          ctx.report({
            messageId: 'onlySetEnvironmentLine',
            data: { variable: q('$' + name), line: envVars.get(name)!.start.line, section: section.name },
            range: read.range,
          });
        }
      }
    },
  }),
  meta: {
    id: 'DEF207',
    slug: 'environment-var-used-at-build',
    group: 'sections',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'A variable defined only in `%environment` is used in `%post`/`%setup`.',
    description: [
      '`%environment` is applied when the container runs, **not** during the build: `%post`, `%setup`, `%pre` and',
      '`%appinstall` do not see its variables, so `$NAME` there expands to nothing.',
      '',
      '**Fix:** also set the variable in `%post` (e.g. `export NAME=...` at its top).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%environment\n    export APP_HOME=/opt/app\n\n%post\n    mkdir -p $APP_HOME\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%environment\n    export APP_HOME=/opt/app\n\n%post\n    export APP_HOME=/opt/app\n    mkdir -p $APP_HOME\n',
    source: 'AP-DEF; apptainer/singularity#1284, #4939; ReproNim/neurodocker#585',
    needsShell: true,
    messages: {
      onlySetEnvironmentLine:
        '{{ variable }} is only set in %environment (line {{ line }}), which is not applied during %{{ section }}: it expands to nothing here',
    },
  },
});

/** Commands that set variables this analysis cannot see: sourcing a file, `eval`, environment modules. */
function setsUnknownVariables(cmd: ShellCommand): boolean {
  if (cmd.baseName === 'source' || cmd.baseName === '.' || cmd.baseName === 'eval') return true;
  const sub = cmd.args[0]?.text;
  return (cmd.baseName === 'module' || cmd.baseName === 'ml' || cmd.baseName === 'spack') && (sub === 'load' || sub === 'add');
}
