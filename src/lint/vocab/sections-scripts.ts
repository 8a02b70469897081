// Shared by the sections rules (Script-section rules (DEF209–DEF213): %setup on the host, shebangs, exec and arguments).
import type { ParsedFile, Section } from '../../parse/model.js';
import type { ShellCommand, ShellScript, ShellWord } from '../types.js';
import { assignmentStatements, isPrefixAssignment, pathText } from './shell-tree.js';

export const PACKAGE_MANAGERS = new Set(['apt-get', 'apt', 'yum', 'dnf', 'zypper', 'apk', 'pacman', 'pip', 'pip3', 'conda', 'mamba', 'npm', 'gem']);
export const DESTINATION_LAST = new Set(['cp', 'mv', 'rsync', 'install', 'ln']);
export const ALL_PATHS = new Set(['mkdir', 'touch', 'rm', 'chmod', 'chown', 'tee', 'rmdir', 'sed', 'truncate']);
export const RECURSIVE_DANGER = new Set(['rm', 'chmod', 'chown']);

export function isHostPath(path: string): boolean {
  return path.startsWith('/') && !/^\/(dev|proc|tmp)(\/|$)/.test(path);
}

export const INSTALLS = /^(install|add|update|upgrade|-S\w*|remove)$/;

/** Non-option words: what a command such as `mkdir -p a b` works on. */
export function nonOptions(cmd: ShellCommand): ShellWord[] {
  return cmd.args.filter((arg) => !pathText(arg).startsWith('-'));
}

export const SHELLS = /^\/(?:usr\/)?bin\/(?:env\s+)?(bash|sh|zsh|ksh|dash)\b|^\/usr\/bin\/env\s+(bash|sh|zsh|ksh|dash)\b/;
export const SHEBANG_IGNORED = new Set(['post', 'setup', 'pre', 'appinstall', 'apprun', 'appstart', 'apptest']);

export function firstNonBlank(section: Section) {
  return section.bodyLines.find((line) => line.text.trim() !== '');
}

export const SHEBANG_HONOURED = new Set(['runscript', 'startscript', 'test']);

export const NOT_EXECABLE = new Set([
  'exec',
  'echo',
  'printf',
  'exit',
  'return',
  'true',
  'false',
  ':',
  'cd',
  'export',
  'set',
  'source',
  '.',
  'unset',
  'shift',
  'wait',
  'trap',
  'read',
  'test',
  '[',
  '[[',
  'eval',
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'for',
  'while',
  'until',
  'do',
  'done',
  'case',
  'esac',
  'function',
  '{',
  '}',
  'local',
  'declare',
  'alias',
  'ulimit',
  'umask',
  'sleep',
]);

/** True when only blanks, `;` and comments follow `offset` in the section. */
export function onlyCommentsAfter(file: ParsedFile, section: Section, offset: number): boolean {
  const last = section.bodyLines[section.bodyLines.length - 1];
  const rest = file.text.slice(offset, last.offset + last.text.length);
  return rest.split('\n').every((line, index) => {
    let code = line.trim();
    if (index === 0 && code.startsWith(';') && !code.startsWith(';;')) code = code.slice(1).trim();
    return code === '' || code.startsWith('#');
  });
}

/**
 * False for a script the shell would reject, often another language without its `#!` line:
 * syntax errors, or an argument that is a `( )` group (`print("hi")`, which tree-sitter-bash accepts).
 */
export function readsAsShell(script: ShellScript): boolean {
  return script.syntaxErrors.length === 0 && !script.commands.some((cmd) => cmd.args.some((arg) => arg.raw.startsWith('(')));
}

/**
 * The command a script ends with, when it is a plain simple command that `exec` could start: a
 * statement of its own at the end (not in a pipeline, `a && b`, `if`, loop or group, not in the
 * background, without redirections or prefix assignments) in a script without `trap` or syntax errors.
 */
export function lastSimpleCommand(script: ShellScript, file: ParsedFile, allowExec = false): ShellCommand | undefined {
  if (!readsAsShell(script) || script.commands.some((cmd) => cmd.baseName === 'trap')) return undefined;
  const top = script.commands.filter((cmd) => !cmd.nested);
  const last = top[top.length - 1];
  if (!last || last.pipeline || last.redirects.length > 0 || !onlyCommentsAfter(file, script.section, last.range.end.offset)) return undefined;
  // The right side of `a && b` / `a || b`: the statement before it is the tested `a`.
  const before = [...top.slice(0, -1), ...assignmentStatements(script, file).filter((a) => !a.nested)]
    .filter((item) => item.range.end.offset <= last.range.start.offset)
    .sort((a, b) => a.range.end.offset - b.range.end.offset)
    .pop();
  if (before && 'checked' in before && before.checked) return undefined;
  if (last.assignments.some((a) => a.range.start.offset === last.range.start.offset && isPrefixAssignment(last, a, file))) return undefined;
  const first = last.wrappers[0] ?? last.name;
  if (NOT_EXECABLE.has(first) && !(allowExec && first === 'exec')) return undefined;
  return last;
}

/** The first word of a command as written (a wrapper such as `sudo`, or the name). */
export function firstWord(file: ParsedFile, cmd: ShellCommand): { text: string; start: number } {
  if (cmd.wrappers.length === 0) return { text: file.text.slice(cmd.nameRange.start.offset, cmd.nameRange.end.offset), start: cmd.nameRange.start.offset };
  // After the leading assignments (statements of their own here: see `isPrefixAssignment`).
  let start = cmd.range.start.offset;
  for (const a of [...cmd.assignments].sort((x, y) => x.range.start.offset - y.range.start.offset)) {
    if (a.range.start.offset > start + (/^\s*/.exec(file.text.slice(start))?.[0].length ?? 0)) break;
    start = a.range.end.offset;
  }
  start += /^\s*/.exec(file.text.slice(start, cmd.nameRange.start.offset))?.[0].length ?? 0;
  return { text: /^\S+/.exec(file.text.slice(start, cmd.nameRange.end.offset))?.[0] ?? cmd.wrappers[0], start };
}
