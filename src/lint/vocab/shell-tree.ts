// Shell-code facts for the structure rules (sections, apps), read from the shell syntax tree
// (`ctx.scripts`, `shellDetails`): which names a script assigns, where it reads variables and the
// special parameters `$@` `$*` `$#`, which files its commands write. Quoted text, comments and
// heredoc bodies are never taken for code. No shell text is scanned here: the only source text
// read is an expansion as written (for messages and fixes) and the span of a redirect's target
// inside the redirect (see `redirectWord`).
import type { ParsedFile, Range, Section, Stage } from '../../parse/model.js';
import { shellDetails, type ShellAssignment } from '../shell/index.js';
import type { RuleContext, ShellCommand, ShellScript, ShellWord } from '../types.js';

/** Variables every process already has, so assigning or reading them proves nothing. */
export const AMBIENT_VARIABLES = new Set([
  'PATH',
  'LD_LIBRARY_PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LC_CTYPE',
  'TERM',
  'SHELL',
  'PWD',
  'OLDPWD',
  'TZ',
  'HOSTNAME',
  'PS1',
  'IFS',
  'UID',
  'EUID',
  'RANDOM',
  'SECONDS',
  'OPTARG',
  'OPTIND',
  'DEBIAN_FRONTEND',
]);

export function isAmbient(name: string): boolean {
  return AMBIENT_VARIABLES.has(name) || /^(APPTAINER|SINGULARITY|SCIF)_/.test(name);
}

/** Parsed scripts of `stage` whose section satisfies `where`. */
export function stageScripts(ctx: RuleContext, stage: Stage, where: (section: Section) => boolean): ShellScript[] {
  return scriptsOfStage(ctx.scripts, stage).filter((script) => script.section.kind !== 'unknown' && where(script.section));
}

const byStageCache = new WeakMap<readonly ShellScript[], Map<Stage, ShellScript[]>>();

/** The scripts of one stage, grouped once per lint (a per-call filter over all scripts is quadratic). */
export function scriptsOfStage(scripts: readonly ShellScript[], stage: Stage): ShellScript[] {
  let byStage = byStageCache.get(scripts);
  if (!byStage) {
    byStage = new Map();
    for (const script of scripts) {
      const list = byStage.get(script.stage);
      if (list) list.push(script);
      else byStage.set(script.stage, [script]);
    }
    byStageCache.set(scripts, byStage);
  }
  return byStage.get(stage) ?? [];
}

export function rangeContains(outer: Range, inner: Range): boolean {
  return outer.start.offset <= inner.start.offset && inner.end.offset <= outer.end.offset;
}

/**
 * True when a command's leading assignment really is a prefix (`X=1 cmd`: for that command only).
 * The walker already splits off assignments that a newline separates from the command (which
 * tree-sitter-bash sometimes glues onto it) and starts the command after them, so an assignment
 * of the command within its range is a prefix.
 */
export function isPrefixAssignment(cmd: ShellCommand, assignment: { range: Range }, _file?: ParsedFile): boolean {
  return rangeContains(cmd.range, assignment.range);
}

/**
 * Standalone assignments of a script in source order (`X=1`, `export X=1`, `A=1 B=2`), without
 * the names that loops and `read` assign (see `assignedNames`).
 */
export function assignmentStatements(script: ShellScript, _file?: ParsedFile): ShellAssignment[] {
  return shellDetails(script)
    .assignments.filter((a) => !a.via)
    .sort((a, b) => a.range.start.offset - b.range.start.offset);
}

/** Builtins whose arguments name variables (`export A B=1`, `local x`). */
export const DECLARATION_COMMANDS = new Set(['export', 'readonly', 'local', 'declare', 'typeset']);

/** The declaration command (`export`, `local`, ...) an assignment is an argument of, if any. */
export function declarationOf(script: ShellScript, assignment: { range: Range }): ShellCommand | undefined {
  return script.commands.find(
    (cmd) =>
      cmd.wrappers.length === 0 &&
      DECLARATION_COMMANDS.has(cmd.name) &&
      cmd.nameRange.end.offset <= assignment.range.start.offset &&
      rangeContains(cmd.range, assignment.range),
  );
}

const NAME = /^[A-Za-z_]\w*$/;

/**
 * Names a script gives a value, with where: standalone assignments (`X=1`, `export X=1`), names
 * declared by `export`/`readonly`/`local`/`declare`/`typeset`, `read` and `getopts` targets and
 * `for`/`select` loop variables. A prefix assignment (`X=1 cmd`) is not one: it lasts for one command.
 */
export function assignedNames(script: ShellScript, _file?: ParsedFile): Map<string, Range> {
  const names = new Map<string, Range>();
  const add = (name: string, range: Range) => {
    const known = names.get(name);
    if (NAME.test(name) && (!known || range.start.offset < known.start.offset)) names.set(name, range);
  };
  // Assignments, declarations, loop variables and `read` targets (all from the walker).
  for (const assignment of shellDetails(script).assignments) add(assignment.name, assignment.range);
  for (const cmd of script.commands) {
    if (DECLARATION_COMMANDS.has(cmd.name)) {
      for (const arg of cmd.args) if (arg.isStatic && NAME.test(arg.text)) add(arg.text, arg.range);
    } else if (cmd.baseName === 'getopts' && cmd.args[1]?.isStatic) {
      add(cmd.args[1].text, cmd.args[1].range);
    }
  }
  // Source order, so the first range is the first assignment.
  return new Map([...names].sort((a, b) => a[1].start.offset - b[1].start.offset));
}

/** A variable read (`$X`, `${X}`, `${X:-d}`), with the range from its `$` to the end of the name. */
export interface VariableRead {
  name: string;
  /** `$NAME` / `${NAME`: from the `$` through the name. */
  range: Range;
  /** True for `${X-d}`, `${X:-d}`, `${X=d}`, `${X:=d}`: an unset X gives the default, not nothing. */
  hasDefault: boolean;
}

/** Named variables a script reads, in source order (positional and special parameters excluded). */
export function variableReads(script: ShellScript, _file?: ParsedFile): VariableRead[] {
  const reads: VariableRead[] = [];
  for (const ref of shellDetails(script).variables) {
    if (!/^[A-Za-z_]/.test(ref.name)) continue;
    const hasDefault = ref.operator !== undefined && /^:?[-=]$/.test(ref.operator);
    reads.push({ name: ref.name, range: { start: ref.expansion.start, end: ref.range.end }, hasDefault });
  }
  return reads;
}

/** An expansion of a special parameter: `$@`, `${@}`, `$*`, `$#`, ... */
export interface SpecialParameter {
  /** `@`, `*` or `#`. */
  name: string;
  /** As written: `$@`, `${@}`, `${#}`; longer expansions up to the parameter (`${@` of `${@:2}`). */
  text: string;
  offset: number;
  /** True inside double quotes (no field splitting). */
  quoted: boolean;
}

const SPECIAL_NAMES = new Set(['@', '*', '#']);

/**
 * Special parameters a script expands, from the syntax tree: in command words (`exec tool "$@"`),
 * compound commands (`for a in "$@"`, `[[ $# -gt 0 ]]`, `case $# in`), assignment values
 * (`ARGS="$@"`, where they are never split: `inAssignment`) and unquoted heredoc bodies (never
 * split either: `inAssignment` too). `export A=$@` counts as a command word, not an assignment.
 */
export function specialParameterUses(script: ShellScript, file: ParsedFile): (SpecialParameter & { inAssignment: boolean })[] {
  const uses: (SpecialParameter & { inAssignment: boolean })[] = [];
  for (const ref of shellDetails(script).variables) {
    if (!SPECIAL_NAMES.has(ref.name)) continue;
    const offset = ref.expansion.start.offset;
    // The expansion's own source text, to name it in messages and fixes (not shell analysis).
    const written = file.text.slice(offset, ref.expansion.end.offset);
    const text = !written.startsWith('${') || written === `\${${ref.name}}` ? written : `\${${ref.name}`;
    const inAssignment = ref.inHeredoc || (ref.inAssignment && !declarationOf(script, ref));
    uses.push({ name: ref.name, text, offset, quoted: ref.quoted, inAssignment });
  }
  return uses.sort((a, b) => a.offset - b.offset);
}

/** The text of a path word for checks: quote-free when static, else without its outer quotes. */
export function pathText(word: ShellWord): string {
  return word.isStatic ? word.text : word.raw.replace(/^["']|["']$/g, '');
}

/** Words a command writes to through `>`, `>>`, `&>` (with their positions in the file). */
export function redirectWords(cmd: ShellCommand, file: ParsedFile): ShellWord[] {
  // The walker gives `a && b > f` its redirect (tree-sitter-bash puts it on the whole list).
  const words: ShellWord[] = [];
  for (const redirect of cmd.redirects) {
    if (!redirect.op.includes('>') || redirect.target === '') continue;
    const word = redirectWord(file, redirect.range.start.offset, file.text.slice(redirect.range.start.offset, redirect.range.end.offset), redirect.target);
    if (word) words.push(word);
  }
  return words;
}

/**
 * The target word of a redirect written as `text` at `offset` (`> "/etc/x"` gives `"/etc/x"`).
 * Not shell analysis: the walker has parsed the redirect (operator and target text); this only
 * locates the target's source span inside the redirect's range, which `ShellRedirect` lacks.
 */
function redirectWord(file: ParsedFile, offset: number, text: string, target: string): ShellWord | undefined {
  const op = /^\d*[<>&|]+-?\s*/.exec(text);
  if (!op) return undefined;
  const raw = text.slice(op[0].length).trimEnd();
  if (raw === '' || /\s/.test(raw.replace(/"[^"]*"|'[^']*'/g, ''))) return undefined;
  const start = offset + op[0].length;
  const isStatic = !/[$`*?]/.test(raw);
  return { raw, text: target, isStatic, range: { start: file.positionAt(start), end: file.positionAt(start + raw.length) } };
}
