// %environment rules (DEF205–DEF208).
import type { Section, Stage } from '../../../parse/model.js';
import { shellDetails } from '../../shell/index.js';
import type { Rule, ShellCommand } from '../../types.js';
import { assignedNames, codeLines, isAmbient, variableReferences } from '../util/shell-lines.js';
import { isEnvironmentSection, liveStages } from '../util/sections.js';
import { q, rangeOf } from '../util/text.js';

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

export const environmentPosix: Rule = {
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
};

/** Length of a shell word value starting at `start` (quotes respected), stopping at blanks or `;&|`. */
function valueLength(code: string, start: number): number {
  let i = start;
  let quote = '';
  for (; i < code.length; i++) {
    const ch = code[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
      continue;
    }
    if (ch === '\\') i++;
    else if (ch === '"' || ch === "'") quote = ch;
    else if (/[\s;&|]/.test(ch)) break;
  }
  return i - start;
}

function exportedNames(section: Section): { names: Set<string>; all: boolean } {
  const names = new Set<string>();
  let all = false;
  for (const line of codeLines(section)) {
    const code = line.code.trim();
    if (/^set\s+(-\w*a|-o\s+allexport)/.test(code)) all = true;
    for (const match of code.matchAll(/(?:^|[;&|]\s*)(?:export|declare\s+-\w*x\w*)\s+([^;&|]*)/g)) {
      for (const word of match[1].trim().split(/\s+/)) {
        const name = /^([A-Za-z_]\w*)/.exec(word);
        if (name) names.add(name[1]);
      }
    }
  }
  return { names, all };
}

export const environmentWithoutExport: Rule = {
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
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      for (const section of stage.sections) {
        if (!isEnvironmentSection(section)) continue;
        const exported = exportedNames(section);
        if (exported.all) continue;
        for (const line of codeLines(section)) {
          if (line.continuation) continue;
          const match = /^(\s*)([A-Za-z_]\w*)=/.exec(line.code);
          if (!match) continue;
          const name = match[2];
          // Lowercase names are the script's own helpers, not settings meant for the program.
          if (exported.names.has(name) || isAmbient(name) || /[a-z]/.test(name)) continue;
          const valueStart = match[0].length;
          const rest = line.code.slice(valueStart + valueLength(line.code, valueStart)).trim();
          if (/^[A-Za-z_./$"']/.test(rest)) continue; // `NAME=value command`: an assignment for one command
          const start = line.offset + match[1].length;
          ctx.report({
            message: `${q(name)} is set but not exported: the program started by the container does not see it`,
            range: rangeOf(ctx.file, start, start + name.length),
            fix: { description: `export ${name}`, edits: [{ start, end: start, text: 'export ' }] },
          });
        }
      }
    }
  },
};

/** Variables a stage's %environment sections define, with where. */
function environmentVariables(stage: Stage): Map<string, number> {
  const names = new Map<string, number>();
  for (const section of stage.sections) {
    if (section.kind === 'unknown' || section.name !== 'environment') continue;
    for (const line of codeLines(section)) for (const name of assignedNames(line.code)) if (!names.has(name)) names.set(name, line.line);
  }
  return names;
}

const BUILD_TIME = new Set(['post', 'setup', 'pre', 'appinstall']);

export const environmentVarUsedAtBuild: Rule = {
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
  },
  check(ctx) {
    for (const stage of liveStages(ctx.file)) {
      const envVars = environmentVariables(stage);
      if (envVars.size === 0) continue;
      for (const section of stage.sections) {
        if (section.kind === 'unknown' || !BUILD_TIME.has(section.name)) continue;
        const lines = codeLines(section);
        const assigned = new Set(lines.flatMap((line) => assignedNames(line.code)));
        const reported = new Set<string>();
        for (const line of lines) {
          for (const ref of variableReferences(line.code)) {
            if (!envVars.has(ref.name) || assigned.has(ref.name) || isAmbient(ref.name) || reported.has(ref.name)) continue;
            reported.add(ref.name);
            const start = line.offset + ref.index;
            ctx.report({
              message: `${q('$' + ref.name)} is only set in %environment (line ${envVars.get(ref.name)}), which is not applied during %${section.name}: it expands to nothing here`,
              range: rangeOf(ctx.file, start, start + 1 + (line.code[ref.index + 1] === '{' ? ref.name.length + 1 : ref.name.length)),
            });
          }
        }
      }
    }
  },
};

const RUN_TIME = new Set(['runscript', 'startscript', 'apprun', 'appstart']);

export const postExportLost: Rule = {
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
  },
  check(ctx) {
    for (const stage of liveStages(ctx.file)) {
      const runtimeRefs = new Set<string>();
      const runtimeAssigned = new Set<string>();
      for (const section of stage.sections) {
        if (section.kind === 'unknown' || !RUN_TIME.has(section.name)) continue;
        for (const line of codeLines(section)) {
          for (const ref of variableReferences(line.code)) runtimeRefs.add(ref.name);
          for (const name of assignedNames(line.code)) runtimeAssigned.add(name);
        }
      }
      if (runtimeRefs.size === 0) continue;
      const environment = new Set<string>();
      for (const section of stage.sections) {
        if (isEnvironmentSection(section)) for (const line of codeLines(section)) for (const name of assignedNames(line.code)) environment.add(name);
      }
      for (const section of stage.sections) {
        if (section.kind === 'unknown' || section.name !== 'post') continue;
        const lines = codeLines(section);
        const persisted = lines.filter((line) => /_ENVIRONMENT\b/.test(line.code)).map((line) => line.code).join('\n');
        for (const line of lines) {
          const match = /^(\s*export\s+)([A-Za-z_]\w*)=/.exec(line.code);
          if (!match) continue;
          const name = match[2];
          if (!runtimeRefs.has(name) || runtimeAssigned.has(name) || environment.has(name) || isAmbient(name)) continue;
          if (new RegExp(`\\b${name}\\b`).test(persisted)) continue;
          const start = line.offset + match[1].length;
          ctx.report({
            message: `${q(name)} is exported in %post but read at run time: %post's environment is gone by then (set it in %environment)`,
            range: rangeOf(ctx.file, start, start + name.length),
          });
        }
      }
    }
  },
};

export const environmentRules: Rule[] = [environmentPosix, environmentWithoutExport, environmentVarUsedAtBuild, postExportLost];
