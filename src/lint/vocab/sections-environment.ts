// Shared by the sections rules (%environment rules (DEF205–DEF208)).
import type { ParsedFile, Range, Stage } from '../../parse/model.js';
import { shellDetails } from '../shell/index.js';
import type { RuleContext, ShellCommand, ShellScript } from '../types.js';
import { assignedNames, stageScripts } from './shell-tree.js';

/** Commands that need a shell hook or function %environment's plain /bin/sh does not have. */
export function hookAdvice(cmd: ShellCommand): string | undefined {
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

/** Names assigned by the scripts, with the first place. */
export function namesAssigned(scripts: ShellScript[], file: ParsedFile): Map<string, Range> {
  const names = new Map<string, Range>();
  for (const script of scripts) for (const [name, range] of assignedNames(script, file)) if (!names.has(name)) names.set(name, range);
  return names;
}

/** Variables a stage's %environment sections define, with where. */
export function environmentVariables(ctx: RuleContext, stage: Stage): Map<string, Range> {
  return namesAssigned(
    stageScripts(ctx, stage, (section) => section.name === 'environment'),
    ctx.file,
  );
}

export const BUILD_TIME = new Set(['post', 'setup', 'pre', 'appinstall']);

export const RUN_TIME = new Set(['runscript', 'startscript', 'apprun', 'appstart']);

/** What a script writes to `$APPTAINER_ENVIRONMENT`: the commands (and pipelines, heredocs) that mention it. */
export function persistedText(script: ShellScript): string {
  const mentions = (cmd: ShellCommand) =>
    [cmd.name, ...cmd.args.map((a) => a.raw), ...cmd.redirects.map((r) => r.target)].some((word) => /_ENVIRONMENT\b/.test(word));
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
