// %environment rules (DEF205–DEF208).
import type { ParsedFile, Range, Stage } from '../../../parse/model.js';
import { shellDetails } from '../../shell/index.js';
import type { Rule, RuleContext, ShellCommand, ShellScript } from '../../types.js';
import { assignedNames, assignmentStatements, declarationOf, isAmbient, stageScripts, variableReads } from '../util/shell-tree.js';
import { isEnvironmentSection, liveStages } from '../util/sections.js';
import { q, rangeOf } from '../util/text.js';
import { defineRule } from '../../define-rule.js';

/** Commands that need a shell hook or function %environment's plain /bin/sh does not have. */
function hookAdvice(cmd: ShellCommand): string | undefined {
  const sub = cmd.args[0]?.text;
  if (cmd.baseName === 'alias') return 'aliases defined in %environment do not reach the program the runscript starts';
  if (cmd.baseName === 'conda' && sub === 'activate') {
    return "`conda activate` needs conda's shell hook and does not work in %environment: set PATH (and CONDA_PREFIX) instead";
  }
  if ((cmd.baseName === 'module' || cmd.baseName === 'ml') && (sub === 'load' || sub === 'add' || sub === 'use')) {
    return '`module load` needs the modules shell function, which %environment does not have: set the variables instead';
  }
  if (cmd.baseName === 'shopt') return '`shopt` is bash-only';
  return undefined;
}

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
      'container\'s `/bin/sh` before the runscript or `exec` command. On dash/ash based images bash syntax (`[[ ]]`,',
      '`source`, arrays, `${x//a/b}`) breaks every start; functions and aliases never reach the program; `conda',
      'activate` and `module load` need shell hooks that are not there.',
      '',
      '**Fix:** plain POSIX `export NAME=value` lines.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%environment\n    source /opt/conda/etc/profile.d/conda.sh\n    conda activate base\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%environment\n    export PATH=/opt/conda/bin:$PATH\n',
    source: 'AP-BUILD `insertEnvScript`; AP-DEF (%environment note)',
    needsShell: true,
  },
  check(ctx) {
    // Works on the shell syntax tree: quoted text such as `export A="a=("` is not code.
    for (const script of ctx.scripts) {
      const { section } = script;
      if (!isEnvironmentSection(section)) continue;
      const details = shellDetails(script);
      const where = `%${section.name}`;
      for (const b of details.bashisms) ctx.report({ message: `${where}: ${b.construct} is bash-only`, range: b.range });
      for (const f of details.functions) {
        ctx.report({ message: `${where}: function ${f.name} does not reach the program the runscript starts`, range: f.range });
      }
      for (const cmd of script.commands) {
        const advice = hookAdvice(cmd);
        if (advice) ctx.report({ message: `${where}: ${advice}`, range: cmd.nameRange });
      }
    }
  },
});

export const environmentWithoutExport = defineRule({
  meta: {
    id: 'DEF206',
    slug: 'environment-without-export',
    group: 'sections',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`NAME=value` in `%environment` without `export`.',
    description: [
      '`%environment` is sourced by the shell that then `exec`s the program. A variable that is set but not',
      'exported stays in that shell: the program never sees it. (Variables that are already exported, such as',
      '`PATH` or `LD_LIBRARY_PATH`, stay exported and are not reported.)',
      '',
      '**Fix:** `export NAME=value` (safe fix).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%environment\n    OMP_NUM_THREADS=1\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%environment\n    export OMP_NUM_THREADS=1\n',
    source: 'AP-DEF (%environment: export needed for all processes)',
    fixKind: 'safe',
    needsShell: true,
  },
  check(ctx) {
    // On the shell syntax tree: `A=1 cmd` (an assignment for one command), quoted text and
    // heredoc bodies are not standalone assignments; `A=1 B=2` assigns both.
    for (const script of ctx.scripts) {
      if (!isEnvironmentSection(script.section)) continue;
      if (script.setOptions.some((o) => o.option === 'allexport')) continue;
      const assignments = assignmentStatements(script, ctx.file);
      const exported = new Set(assignments.filter((a) => a.exported).map((a) => a.name));
      const text = ctx.file.text;
      let groupStart = -1;
      let previousEnd = -1;
      for (const assignment of assignments) {
        const start = assignment.range.start.offset;
        // `A=1 B=2`: one statement; `export ` goes before its first assignment.
        if (previousEnd < 0 || !/^[ \t]+$/.test(text.slice(previousEnd, start))) groupStart = start;
        previousEnd = assignment.exported || assignment.nested ? -1 : assignment.range.end.offset;
        const { name } = assignment;
        // Lowercase names are the script's own helpers, not settings meant for the program.
        if (assignment.exported || assignment.nested || exported.has(name) || isAmbient(name) || /[a-z]/.test(name)) continue;
        if (declarationOf(script, assignment)) continue; // `readonly X=1`, `local X=1`
        ctx.report({
          message: `${q(name)} is set but not exported: the program started by the container does not see it`,
          range: rangeOf(ctx.file, start, start + name.length),
          fix: { description: `export ${name}`, edits: [{ start: groupStart, end: groupStart, text: 'export ' }] },
        });
      }
    }
  },
});

/** Names assigned by the scripts, with the first place. */
function namesAssigned(scripts: ShellScript[], file: ParsedFile): Map<string, Range> {
  const names = new Map<string, Range>();
  for (const script of scripts) for (const [name, range] of assignedNames(script, file)) if (!names.has(name)) names.set(name, range);
  return names;
}

/** Variables a stage's %environment sections define, with where. */
function environmentVariables(ctx: RuleContext, stage: Stage): Map<string, Range> {
  return namesAssigned(stageScripts(ctx, stage, (section) => section.name === 'environment'), ctx.file);
}

const BUILD_TIME = new Set(['post', 'setup', 'pre', 'appinstall']);

export const environmentVarUsedAtBuild = defineRule({
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
  },
  check(ctx) {
    // On the shell syntax tree: reads in single quotes, comments and quoted heredocs are not
    // reads; reads in unquoted heredocs are; `${NAME:-default}` has a value either way.
    for (const stage of liveStages(ctx.file)) {
      const envVars = environmentVariables(ctx, stage);
      if (envVars.size === 0) continue;
      for (const script of stageScripts(ctx, stage, (section) => BUILD_TIME.has(section.name))) {
        const { section } = script;
        const assigned = assignedNames(script, ctx.file);
        const reported = new Set<string>();
        // Past a shell syntax error the tree is a guess (e.g. a heredoc closed too early): no claims.
        const trustedEnd = Math.min(...script.syntaxErrors.map((range) => range.start.offset));
        for (const read of variableReads(script, ctx.file)) {
          if (read.range.start.offset >= trustedEnd) break;
          const { name } = read;
          if (!envVars.has(name) || assigned.has(name) || isAmbient(name) || reported.has(name) || read.hasDefault) continue;
          reported.add(name);
          ctx.report({
            message: `${q('$' + name)} is only set in %environment (line ${envVars.get(name)!.start.line}), which is not applied during %${section.name}: it expands to nothing here`,
            range: read.range,
          });
        }
      }
    }
  },
});

const RUN_TIME = new Set(['runscript', 'startscript', 'apprun', 'appstart']);

export const postExportLost = defineRule({
  meta: {
    id: 'DEF208',
    slug: 'post-export-lost',
    group: 'sections',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`export` in `%post` of a variable the runscript reads: it is gone at run time.',
    description: [
      'Variables exported in `%post` live only while `%post` runs. If `%runscript` (or `%startscript`, `%apprun`)',
      'needs them, they must be set in `%environment` or appended to `$APPTAINER_ENVIRONMENT` from `%post`.',
      '',
      '**Fix:** move the export to `%environment`, or `echo "export NAME=..." >> $APPTAINER_ENVIRONMENT` in `%post`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    export MODEL_DIR=/opt/models\n\n%runscript\n    exec ls "$MODEL_DIR"\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%environment\n    export MODEL_DIR=/opt/models\n\n%runscript\n    exec ls "$MODEL_DIR"\n',
    source: 'AP-DEF (%post)',
    needsShell: true,
  },
  check(ctx) {
    // On the shell syntax tree: any `export NAME=value` in %post (also after `&&` or inside `if`),
    // and a value persisted through `$APPTAINER_ENVIRONMENT` by a heredoc counts as persisted.
    const text = ctx.file.text;
    for (const stage of liveStages(ctx.file)) {
      const runtime = stageScripts(ctx, stage, (section) => RUN_TIME.has(section.name));
      const runtimeRefs = new Set(runtime.flatMap((script) => variableReads(script, ctx.file).map((read) => read.name)));
      if (runtimeRefs.size === 0) continue;
      const runtimeAssigned = namesAssigned(runtime, ctx.file);
      const environment = namesAssigned(stageScripts(ctx, stage, isEnvironmentSection), ctx.file);
      for (const script of stageScripts(ctx, stage, (section) => section.name === 'post')) {
        const persisted = persistedText(script);
        for (const assignment of shellDetails(script).assignments) {
          const { name } = assignment;
          const start = assignment.range.start.offset;
          // `export NAME=value` (not `export NAME`, which exports a value set elsewhere).
          if (!assignment.exported || !/^\+?=/.test(text.slice(start + name.length, start + name.length + 2))) continue;
          if (!runtimeRefs.has(name) || runtimeAssigned.has(name) || environment.has(name) || isAmbient(name)) continue;
          if (new RegExp(`\\b${name}\\b`).test(persisted)) continue;
          ctx.report({
            message: `${q(name)} is exported in %post but read at run time: %post's environment is gone by then (set it in %environment)`,
            range: rangeOf(ctx.file, start, start + name.length),
          });
        }
      }
    }
  },
});

/** What a script writes to `$APPTAINER_ENVIRONMENT`: the commands (and pipelines, heredocs) that mention it. */
function persistedText(script: ShellScript): string {
  const mentions = (cmd: ShellCommand) => [cmd.name, ...cmd.args.map((a) => a.raw), ...cmd.redirects.map((r) => r.target)].some((word) => /_ENVIRONMENT\b/.test(word));
  const writers = new Set<ShellCommand>();
  for (const cmd of script.commands) {
    if (!mentions(cmd)) continue;
    writers.add(cmd);
    for (const other of cmd.pipeline?.commands ?? []) writers.add(other);
  }
  const parts: string[] = [];
  for (const cmd of writers) parts.push(cmd.args.map((a) => a.raw).join(' '), ...cmd.assignments.map((a) => `${a.name}=${a.value}`));
  for (const heredoc of shellDetails(script).heredocs) if (heredoc.command && writers.has(heredoc.command)) parts.push(heredoc.content);
  return parts.join('\n');
}

export const environmentRules: Rule[] = [environmentPosix, environmentWithoutExport, environmentVarUsedAtBuild, postExportLost];
