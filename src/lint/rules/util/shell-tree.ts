// Shell-code facts for the structure rules (sections, apps), read from the shell syntax tree
// (`ctx.scripts`, `shellDetails`): which names a script assigns, where it reads variables and the
// special parameters `$@` `$*` `$#`, which files its commands write. Quoted text, comments and
// heredoc bodies are never taken for code.
import type { ParsedFile, Range, Section, Stage } from '../../../parse/model.js';
import { positionalArgs, shellDetails, type ShellAssignment } from '../../shell/index.js';
import type { RuleContext, ShellCommand, ShellScript, ShellWord } from '../../types.js';

/** Variables every process already has, so assigning or reading them proves nothing. */
export const AMBIENT_VARIABLES = new Set([
  'PATH', 'LD_LIBRARY_PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'TERM', 'SHELL', 'PWD',
  'OLDPWD', 'TZ', 'HOSTNAME', 'PS1', 'IFS', 'UID', 'EUID', 'RANDOM', 'SECONDS', 'OPTARG', 'OPTIND', 'DEBIAN_FRONTEND',
]);

export function isAmbient(name: string): boolean {
  return AMBIENT_VARIABLES.has(name) || /^(APPTAINER|SINGULARITY|SCIF)_/.test(name);
}

/** Parsed scripts of `stage` whose section satisfies `where`. */
export function stageScripts(ctx: RuleContext, stage: Stage, where: (section: Section) => boolean): ShellScript[] {
  return ctx.scripts.filter((script) => script.stage === stage && script.section.kind !== 'unknown' && where(script.section));
}

export function rangeContains(outer: Range, inner: Range): boolean {
  return outer.start.offset <= inner.start.offset && inner.end.offset <= outer.end.offset;
}

/**
 * True when a command's leading assignment really is a prefix (`X=1 cmd`: for that command only).
 * tree-sitter-bash reads `A=1 B=2`, a newline and `cmd` as one command `A=1 B=2 cmd`; in the shell
 * the newline ends the statement, so those assignments are statements of their own.
 */
export function isPrefixAssignment(cmd: ShellCommand, assignment: { range: Range }, file: ParsedFile): boolean {
  const between = file.text.slice(assignment.range.end.offset, Math.max(assignment.range.end.offset, cmd.nameRange.start.offset));
  return !/\n/.test(between.replace(/\\\r?\n/g, ''));
}

/** Standalone assignments of a script in source order, including those tree-sitter-bash glues onto the next command. */
export function assignmentStatements(script: ShellScript, file: ParsedFile): ShellAssignment[] {
  const details = shellDetails(script).assignments;
  const known = new Set(details.map((a) => a.range.start.offset));
  const stray: ShellAssignment[] = [];
  for (const cmd of script.commands) {
    for (const a of cmd.assignments) {
      if (known.has(a.range.start.offset) || a.range.start.offset < cmd.range.start.offset || isPrefixAssignment(cmd, a, file)) continue;
      stray.push({ name: a.name, value: a.value, exported: false, nested: cmd.nested, range: a.range });
    }
    // `export A=1` that the tree holds as a plain command (after a glued assignment line).
    if (cmd.wrappers.length === 0 && DECLARATION_COMMANDS.has(cmd.name)) {
      const exported = cmd.name === 'export' || cmd.args.some((arg) => /^-\w*x/.test(arg.text));
      for (const arg of cmd.args) {
        if (known.has(arg.range.start.offset)) continue;
        const match = /^([A-Za-z_]\w*)\+?=/.exec(arg.text);
        if (match) stray.push({ name: match[1], value: arg.text.slice(match[0].length), exported, nested: cmd.nested, range: arg.range });
        else if (exported && arg.isStatic && NAME.test(arg.text)) stray.push({ name: arg.text, value: '', exported, nested: cmd.nested, range: arg.range });
      }
    }
  }
  const all = [...details, ...stray];
  return stray.length === 0 ? all : all.sort((a, b) => a.range.start.offset - b.range.start.offset);
}

/** Builtins whose arguments name variables (`export A B=1`, `local x`). */
export const DECLARATION_COMMANDS = new Set(['export', 'readonly', 'local', 'declare', 'typeset']);

/** The declaration command (`export`, `local`, ...) an assignment is an argument of, if any. */
export function declarationOf(script: ShellScript, assignment: { range: Range }): ShellCommand | undefined {
  return script.commands.find(
    (cmd) => cmd.wrappers.length === 0 && DECLARATION_COMMANDS.has(cmd.name) && cmd.nameRange.end.offset <= assignment.range.start.offset && rangeContains(cmd.range, assignment.range),
  );
}

const NAME = /^[A-Za-z_]\w*$/;
/** `read` options that take a value (`-p prompt`); `-a NAME` names an array and is handled apart. */
const READ_WITH_VALUE = ['-p', '-d', '-n', '-N', '-t', '-u', '-i'];

/**
 * Names a script gives a value, with where: standalone assignments (`X=1`, `export X=1`), names
 * declared by `export`/`readonly`/`local`/`declare`/`typeset`, `read` and `getopts` targets and
 * `for`/`select` loop variables. A prefix assignment (`X=1 cmd`) is not one: it lasts for one command.
 */
export function assignedNames(script: ShellScript, file: ParsedFile): Map<string, Range> {
  const names = new Map<string, Range>();
  const add = (name: string, range: Range) => {
    const known = names.get(name);
    if (NAME.test(name) && (!known || range.start.offset < known.start.offset)) names.set(name, range);
  };
  for (const assignment of assignmentStatements(script, file)) add(assignment.name, assignment.range);
  for (const cmd of script.commands) {
    if (DECLARATION_COMMANDS.has(cmd.name)) {
      for (const arg of cmd.args) if (arg.isStatic && NAME.test(arg.text)) add(arg.text, arg.range);
    } else if (cmd.baseName === 'read') {
      const arrayAt = cmd.args.findIndex((arg) => arg.isStatic && /^-\w*a$/.test(arg.text));
      if (arrayAt >= 0 && cmd.args[arrayAt + 1]) add(cmd.args[arrayAt + 1].text, cmd.args[arrayAt + 1].range);
      for (const arg of positionalArgs(cmd.args, [...READ_WITH_VALUE, '-a'])) if (arg.isStatic) add(arg.text, arg.range);
    } else if (cmd.baseName === 'getopts' && cmd.args[1]?.isStatic) {
      add(cmd.args[1].text, cmd.args[1].range);
    }
  }
  for (const loop of compoundCode(script, file).loopVariables) add(loop.name, loop.range);
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

/** Named variables a script reads, in source order (positional parameters `$1` excluded). */
export function variableReads(script: ShellScript, file: ParsedFile): VariableRead[] {
  const text = file.text;
  const reads: VariableRead[] = [];
  for (const ref of shellDetails(script).variables) {
    if (!/^[A-Za-z_]/.test(ref.name)) continue;
    const nameStart = ref.range.start.offset;
    let start = nameStart;
    // `$X`, `${X`, `${#X`, `${!X`: the `$` is at most three characters back.
    for (let back = 1; back <= 3 && nameStart - back >= 0; back++) {
      if (text[nameStart - back] === '$') {
        start = nameStart - back;
        break;
      }
    }
    const braced = text[start + 1] === '{';
    const hasDefault = braced && /^:?[-=]/.test(text.slice(ref.range.end.offset, ref.range.end.offset + 2));
    reads.push({ name: ref.name, range: { start: file.positionAt(start), end: ref.range.end }, hasDefault });
  }
  return reads;
}

/** An expansion of a special parameter: `$@`, `${@}`, `$*`, `$#`, ... */
export interface SpecialParameter {
  /** `@`, `*` or `#`. */
  name: string;
  /** As written: `$@`, `${@}`, `${@:2}`... up to the parameter character (`${@`). */
  text: string;
  offset: number;
  /** True inside double quotes (no field splitting). */
  quoted: boolean;
}

// `$@`, `$*`, `$#`; `${@}`, `${@:2}` (text `${@`); `${#}` (but `${#X}` is the length of X).
const SPECIAL = /^\$(?:([@*#])|\{([@*])\}?|\{(#)\})/;

/**
 * Special parameters in shell source `raw` starting at file offset `base`. With `quotes`, quoting
 * is followed (single quotes hide, double quotes mark `quoted`); without (heredoc bodies), only
 * backslashes escape. Command substitutions are skipped: their commands are scanned on their own.
 */
export function specialParameters(raw: string, base: number, quotes = true): SpecialParameter[] {
  const found: SpecialParameter[] = [];
  let quote: '' | '"' | "'" = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (quote === "'") {
      if (ch === "'") quote = '';
      continue;
    }
    if (ch === '\\') {
      i++;
      continue;
    }
    if (quotes && ch === '"') quote = quote ? '' : '"';
    else if (quotes && ch === "'" && !quote) quote = "'";
    else if (ch === '`') i = skipBackticks(raw, i);
    else if (ch === '$' && raw[i + 1] === '(' && raw[i + 2] !== '(') i = skipParens(raw, i + 1);
    else if (ch === '$') {
      const match = SPECIAL.exec(raw.slice(i, i + 5));
      if (match) {
        found.push({ name: match[1] ?? match[2] ?? match[3], text: match[0], offset: base + i, quoted: quote === '"' });
        i += match[0].length - 1;
      }
    }
  }
  return found;
}

function skipBackticks(raw: string, at: number): number {
  for (let i = at + 1; i < raw.length; i++) {
    if (raw[i] === '\\') i++;
    else if (raw[i] === '`') return i;
  }
  return raw.length;
}

/** Index of the `)` closing the `(` at `at` (quotes inside are skipped). */
function skipParens(raw: string, at: number): number {
  let depth = 0;
  let quote = '';
  for (let i = at; i < raw.length; i++) {
    const ch = raw[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '\\') i++;
    else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return raw.length;
}

/** The words of a command as source text: its head (wrappers and name) and each argument. */
function commandWords(cmd: ShellCommand, file: ParsedFile): { raw: string; offset: number }[] {
  // The head starts after the assignments before the name (`X=1 sudo -E prog`: `sudo -E prog`).
  let start = cmd.range.start.offset;
  for (const a of cmd.assignments) if (a.range.end.offset <= cmd.nameRange.start.offset) start = Math.max(start, a.range.end.offset);
  const words = [{ raw: file.text.slice(start, cmd.nameRange.end.offset), offset: start }];
  for (const arg of cmd.args) words.push({ raw: arg.raw, offset: arg.range.start.offset });
  return words;
}

/**
 * Special parameters a script expands: in command words (`exec tool "$@"`), assignment values
 * (`ARGS="$@"`, where they are never split: `inAssignment`), unquoted heredoc bodies and the
 * remaining shell syntax (`for a in "$@"`, `[[ $# -gt 0 ]]`, `case $# in`).
 */
export function specialParameterUses(script: ShellScript, file: ParsedFile): (SpecialParameter & { inAssignment: boolean })[] {
  const seen = new Map<number, SpecialParameter & { inAssignment: boolean }>();
  const add = (list: SpecialParameter[], inAssignment: boolean) => {
    for (const p of list) if (!seen.has(p.offset)) seen.set(p.offset, { ...p, inAssignment });
  };
  const details = shellDetails(script);
  for (const cmd of script.commands) {
    for (const word of commandWords(cmd, file)) add(specialParameters(word.raw, word.offset), false);
    for (const a of cmd.assignments) add(specialParameters(file.text.slice(a.range.start.offset, a.range.end.offset), a.range.start.offset), true);
  }
  for (const a of details.assignments) {
    if (declarationOf(script, a)) continue; // `export A=$@` is an argument of export: scanned above
    add(specialParameters(file.text.slice(a.range.start.offset, a.range.end.offset), a.range.start.offset), true);
  }
  for (const heredoc of details.heredocs) {
    if (heredoc.quoted) continue;
    const text = file.text.slice(heredoc.range.start.offset, heredoc.range.end.offset);
    const bodyAt = text.indexOf('\n');
    if (bodyAt >= 0) add(specialParameters(text.slice(bodyAt), heredoc.range.start.offset + bodyAt, false), true);
  }
  add(compoundCode(script, file).specials, false);
  return [...seen.values()].sort((a, b) => a.offset - b.offset);
}

interface CompoundCode {
  /** `for NAME in` / `select NAME in` loop variables. */
  loopVariables: { name: string; range: Range }[];
  /** Special parameters outside simple commands, assignments and heredocs. */
  specials: SpecialParameter[];
}

const compoundCache = new WeakMap<ShellScript, CompoundCode>();

/**
 * Facts from the part of a script that is neither a simple command, an assignment, a heredoc nor
 * a function name: the syntax of compound commands (`for x in ...`, `[[ ]]`, `(( ))`, `case w in`),
 * whose words the shell model does not list. Everything the tree does list is blanked first, and
 * comments and single-quoted text are skipped, so only that syntax is read.
 */
function compoundCode(script: ShellScript, file: ParsedFile): CompoundCode {
  const cached = compoundCache.get(script);
  if (cached) return cached;
  const result: CompoundCode = { loopVariables: [], specials: [] };
  compoundCache.set(script, result);
  const lines = script.section.bodyLines;
  if (lines.length === 0) return result;
  const base = lines[0].offset;
  const last = lines[lines.length - 1];
  const chars = file.text.slice(base, last.offset + last.text.length).split('');
  const blank = (start: number, end: number) => {
    for (let i = Math.max(start - base, 0); i < Math.min(end - base, chars.length); i++) if (chars[i] !== '\n') chars[i] = ' ';
  };
  // Only the text of body lines is code (not line terminators such as a CR).
  let cursor = base;
  for (const line of lines) {
    blank(cursor, line.offset);
    cursor = line.offset + line.text.length;
    if (file.text[cursor] === '\r') blank(cursor, cursor + 1);
  }
  const details = shellDetails(script);
  for (const cmd of script.commands) blank(cmd.range.start.offset, cmd.range.end.offset);
  for (const a of details.assignments) blank(a.range.start.offset, a.range.end.offset);
  for (const h of details.heredocs) blank(h.range.start.offset, h.range.end.offset);
  for (const f of details.functions) blank(f.range.start.offset, f.range.end.offset);
  const code = chars.join('');
  // Comments, and the text of quoted strings, become blanks; special parameters are collected.
  const plain: string[] = [];
  let quote = '';
  let comment = false;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (ch === '\n') comment = false;
    if (comment || (quote === "'" && ch !== "'")) {
      plain.push(ch === '\n' ? ch : ' ');
      continue;
    }
    if (quote === "'") quote = '';
    else if (ch === '\\') {
      plain.push(' ', ' ');
      i++;
      continue;
    } else if (ch === '"') quote = quote ? '' : '"';
    else if (ch === "'" && !quote) quote = "'";
    else if (ch === '#' && !quote && (i === 0 || /[\s;&|(]/.test(code[i - 1]))) comment = true;
    else if (ch === '$') {
      const match = SPECIAL.exec(code.slice(i, i + 5));
      if (match) result.specials.push({ name: match[1] ?? match[2] ?? match[3], text: match[0], offset: base + i, quoted: quote === '"' });
    }
    plain.push(quote || comment || ch === '"' || ch === "'" ? (ch === '\n' ? ch : ' ') : ch);
  }
  const text = plain.join('');
  for (const match of text.matchAll(/(^|[\s;&|(])(?:for|select)\s+([A-Za-z_]\w*)(?=[\s;]|$)/g)) {
    const start = base + match.index! + match[1].length + match[0].slice(match[1].length).indexOf(match[2], 3);
    result.loopVariables.push({ name: match[2], range: { start: file.positionAt(start), end: file.positionAt(start + match[2].length) } });
  }
  return result;
}

/** The text of a path word for checks: quote-free when static, else without its outer quotes. */
export function pathText(word: ShellWord): string {
  return word.isStatic ? word.text : word.raw.replace(/^["']|["']$/g, '');
}

/** Words a command writes to through `>`, `>>`, `&>` (with their positions in the file). */
export function redirectWords(cmd: ShellCommand, file: ParsedFile): ShellWord[] {
  const words: ShellWord[] = [];
  const seen = new Set<number>();
  for (const redirect of cmd.redirects) {
    seen.add(redirect.range.start.offset);
    if (!redirect.op.includes('>') || redirect.target === '') continue;
    const word = redirectWord(file, redirect.range.start.offset, file.text.slice(redirect.range.start.offset, redirect.range.end.offset), redirect.target);
    if (word) words.push(word);
  }
  // tree-sitter-bash reads `a && b > f` as `(a && b) > f`: the redirect then belongs to no
  // command. In the shell it is b's, so redirects right after a command's last word are its own.
  let at = cmd.range.end.offset;
  const text = file.text;
  for (;;) {
    const next = /^[ \t]*(?=\d*(?:>|&>))/.exec(text.slice(at, at + 200));
    if (!next) break;
    const start = at + next[0].length;
    const redirect = /^(?:\d*>&\d*-?|\d*(?:>>?|&>>?|>\|)[ \t]*(?:"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s;&|<>()"'])+)/.exec(text.slice(start, start + 1000));
    if (!redirect) break;
    if (!seen.has(start) && !/^\d*>&/.test(redirect[0])) {
      const word = redirectWord(file, start, redirect[0]);
      if (word) words.push(word);
    }
    at = start + redirect[0].length;
  }
  return words;
}

/** The target word of a redirect written as `text` at `offset` (`> "/etc/x"` gives `"/etc/x"`). */
function redirectWord(file: ParsedFile, offset: number, text: string, target?: string): ShellWord | undefined {
  const op = /^\d*[<>&|]+-?\s*/.exec(text);
  if (!op) return undefined;
  const raw = text.slice(op[0].length).trimEnd();
  if (raw === '' || /\s/.test(raw.replace(/"[^"]*"|'[^']*'/g, ''))) return undefined;
  const start = offset + op[0].length;
  const isStatic = !/[$`*?]/.test(raw);
  const unquoted = isStatic ? raw.replace(/"([^"]*)"|'([^']*)'/g, '$1$2') : raw;
  return { raw, text: target ?? unquoted, isStatic, range: { start: file.positionAt(start), end: file.positionAt(start + raw.length) } };
}
