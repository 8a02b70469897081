// Script-section rules (DEF209–DEF213): %setup on the host, shebangs, exec and arguments.
import type { ParsedFile, Section } from '../../../parse/model.js';
import { hasAnyFlag, shellDetails } from '../../shell/index.js';
import type { Fix, Rule, ShellCommand, ShellScript, ShellWord } from '../../types.js';
import { assignmentStatements, isPrefixAssignment, pathText, redirectWords, specialParameterUses, stageScripts } from '../util/shell-tree.js';
import { isEntrySection, liveStages } from '../util/sections.js';
import { endOfLineIncludingNewline, q, rangeOf, replaceFix, sectionWordSpan } from '../util/text.js';
import { defineRule } from '../../define-rule.js';

const PACKAGE_MANAGERS = new Set(['apt-get', 'apt', 'yum', 'dnf', 'zypper', 'apk', 'pacman', 'pip', 'pip3', 'conda', 'mamba', 'npm', 'gem']);
const DESTINATION_LAST = new Set(['cp', 'mv', 'rsync', 'install', 'ln']);
const ALL_PATHS = new Set(['mkdir', 'touch', 'rm', 'chmod', 'chown', 'tee', 'rmdir', 'sed', 'truncate']);
const RECURSIVE_DANGER = new Set(['rm', 'chmod', 'chown']);

function isHostPath(path: string): boolean {
  return path.startsWith('/') && !/^\/(dev|proc|tmp)(\/|$)/.test(path);
}

const INSTALLS = /^(install|add|update|upgrade|-S\w*|remove)$/;

/** Non-option words: what a command such as `mkdir -p a b` works on. */
function nonOptions(cmd: ShellCommand): ShellWord[] {
  return cmd.args.filter((arg) => !pathText(arg).startsWith('-'));
}

export const setupTouchesHost = defineRule({
  meta: {
    id: 'DEF209',
    slug: 'setup-touches-host',
    group: 'sections',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`%setup` writes to host paths (it runs on the host, often as root).',
    description: [
      '`%setup` runs on the **host**, after the base is unpacked, with the container\'s root filesystem at',
      '`$APPTAINER_ROOTFS`. An absolute path without that prefix is a host path: `mkdir /opt/app` creates it on the',
      'build machine (warning). Recursive `rm`/`chmod`/`chown` on host paths and package installs in `%setup` can',
      'damage the build host (error).',
      '',
      '**Fix:** prefix container paths with `${APPTAINER_ROOTFS}` (quick fix), or use `%files` and `%post`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%setup\n    mkdir -p /opt/app\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%setup\n    mkdir -p ${APPTAINER_ROOTFS}/opt/app\n',
    source: 'AP-DEF (%setup warning); deffile-format.md §8',
    fixKind: 'suggestion',
    needsShell: true,
  },
  check(ctx) {
    // On the shell syntax tree: commands inside quotes or heredoc bodies are not commands, and
    // wrappers (`sudo`, `env`, `nice`...) are seen through.
    for (const script of ctx.scripts) {
      if (script.section.kind === 'unknown' || script.section.name !== 'setup') continue;
      for (const cmd of script.commands) {
        const name = cmd.baseName;
        if (PACKAGE_MANAGERS.has(name) && cmd.args.some((arg) => INSTALLS.test(arg.text))) {
          ctx.report({
            message: `${q(name)} in %setup installs on the build host, not in the container: use %post`,
            range: cmd.nameRange,
            severity: 'error',
          });
          continue;
        }
        const targets: ShellWord[] = [];
        const paths = nonOptions(cmd);
        if (DESTINATION_LAST.has(name) && paths.length >= 2) targets.push(paths[paths.length - 1]);
        else if (ALL_PATHS.has(name)) targets.push(...paths);
        targets.push(...redirectWords(cmd, ctx.file));
        const recursive = RECURSIVE_DANGER.has(name) && hasAnyFlag(cmd, 'r', 'R', 'recursive');
        for (const target of targets) {
          if (!isHostPath(pathText(target))) continue;
          const start = target.range.start.offset;
          const quoteOffset = /^["']/.test(target.raw) ? 1 : 0;
          ctx.report({
            message: recursive
              ? `Recursive ${q(name)} on the host path ${q(target.raw)}: %setup runs on the build host`
              : `${q(target.raw)} is a path on the build host (%setup runs there); container paths start with \${APPTAINER_ROOTFS}`,
            range: target.range,
            severity: recursive ? 'error' : undefined,
            suggestions: [replaceFix('Prefix with ${APPTAINER_ROOTFS}', start + quoteOffset, start + quoteOffset, '${APPTAINER_ROOTFS}')],
          });
        }
      }
    }
  },
});

const SHELLS = /^\/(?:usr\/)?bin\/(?:env\s+)?(bash|sh|zsh|ksh|dash)\b|^\/usr\/bin\/env\s+(bash|sh|zsh|ksh|dash)\b/;
const SHEBANG_IGNORED = new Set(['post', 'setup', 'pre', 'appinstall', 'apprun', 'appstart', 'apptest']);

function firstNonBlank(section: Section) {
  return section.bodyLines.find((line) => line.text.trim() !== '');
}

export const shebangInBuildSection = defineRule({
  meta: {
    id: 'DEF210',
    slug: 'shebang-in-build-section',
    group: 'sections',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`#!` line in `%post`/`%setup`/`%pre` or an app script: it is only a comment.',
    description: [
      '`%post`, `%setup` and `%pre` always run with `/bin/sh -e`; `%apprun`, `%appstart` and `%apptest` get a fixed',
      '`#!/bin/sh` header; `%appinstall` runs inside `%post`. A `#!/bin/bash` first line there is a plain comment,',
      'so bash syntax in the body fails under dash.',
      '',
      '**Fix:** choose the interpreter with the section arguments: `%post -c /bin/bash -e` keeps failing commands',
      'fatal (the quick fix does this). For app scripts, call the interpreter explicitly.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:24.04\n\n%post\n    #!/bin/bash\n    apt-get update\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:24.04\n\n%post -c /bin/bash -e\n    apt-get update\n',
    source: 'AP-DEF (%post note), AP-BUILD; deffile-format.md §8, §11.2',
    fixKind: 'suggestion',
  },
  check(ctx) {
    const text = ctx.file.text;
    for (const stage of ctx.file.stages) {
      for (const section of stage.sections) {
        if (section.kind === 'unknown' || !SHEBANG_IGNORED.has(section.name)) continue;
        const first = firstNonBlank(section);
        if (!first || !first.text.trim().startsWith('#!')) continue;
        const interpreter = first.text.trim().slice(2).trim();
        if (/^\/bin\/sh(\s|$)/.test(interpreter)) continue;
        const start = first.offset + first.text.indexOf('#!');
        const suggestions: Fix[] = [];
        const shell = SHELLS.exec(interpreter);
        if (shell && (section.name === 'post' || section.name === 'setup' || section.name === 'pre') && section.args.trim() === '') {
          const span = sectionWordSpan(ctx.file, section);
          const interpreterPath = interpreter.split(/\s+/)[0] === '/usr/bin/env' ? `/usr/bin/env ${shell[1] ?? shell[2]}` : interpreter.split(/\s+/)[0];
          suggestions.push({
            description: `Run the section with ${interpreterPath} -e`,
            edits: [
              { start: span.wordEnd, end: span.lineEnd, text: ` -c ${interpreterPath} -e` },
              { start: first.offset, end: endOfLineIncludingNewline(text, first.offset), text: '' },
            ],
          });
        }
        const runsWith = section.name === 'appinstall' ? "%post's interpreter" : '/bin/sh';
        ctx.report({
          message: `\`#!\` in %${section.name} is only a comment: the script runs with ${runsWith}`,
          range: rangeOf(ctx.file, start, first.offset + first.text.trimEnd().length),
          suggestions,
        });
      }
    }
  },
});

const SHEBANG_HONOURED = new Set(['runscript', 'startscript', 'test']);

export const shebangNotFirst = defineRule({
  meta: {
    id: 'DEF211',
    slug: 'shebang-not-first',
    group: 'sections',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`#!` in `%runscript`/`%startscript`/`%test` that is not on the first body line.',
    description: [
      'For these sections Apptainer uses a `#!` interpreter only if it is the very first line of the body. After a',
      'comment the `#!` line is ignored (the script runs with `/bin/sh`); after a blank line the "shebang" becomes',
      'that empty line and the interpreter request is lost.',
      '',
      '**Fix:** move the `#!` line to the top of the section (safe fix).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%runscript\n    # start the app\n    #!/usr/bin/env python3\n    print("hi")\n',
    good: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%runscript\n    #!/usr/bin/env python3\n    # start the app\n    print("hi")\n',
    source: 'AP-BUILD `metadata.go:handleShebangScript`; deffile-format.md §8',
    fixKind: 'safe',
  },
  check(ctx) {
    const text = ctx.file.text;
    for (const stage of ctx.file.stages) {
      for (const section of stage.sections) {
        if (section.kind === 'unknown' || !SHEBANG_HONOURED.has(section.name)) continue;
        const lines = section.bodyLines;
        let index = 0;
        while (index < lines.length && (lines[index].text.trim() === '' || (lines[index].text.trim().startsWith('#') && !lines[index].text.trim().startsWith('#!')))) index++;
        if (index === 0 || index >= lines.length || !lines[index].text.trim().startsWith('#!')) continue;
        const shebang = lines[index];
        const first = lines[0];
        const shebangText = shebang.text.trim();
        ctx.report({
          message: `\`#!\` is honoured only on the first line of %${section.name}: here it is a comment and the interpreter request is lost`,
          range: rangeOf(ctx.file, shebang.offset + shebang.text.indexOf('#!'), shebang.offset + shebang.text.trimEnd().length),
          fix: {
            description: 'Move the #! line to the top of the section',
            edits: [
              { start: first.offset, end: first.offset, text: `${shebang.text.slice(0, shebang.text.indexOf('#!'))}${shebangText}\n` },
              { start: shebang.offset, end: endOfLineIncludingNewline(text, shebang.offset), text: '' },
            ],
          },
        });
      }
    }
  },
});

const NOT_EXECABLE = new Set([
  'exec', 'echo', 'printf', 'exit', 'return', 'true', 'false', ':', 'cd', 'export', 'set', 'source', '.', 'unset', 'shift', 'wait',
  'trap', 'read', 'test', '[', '[[', 'eval', 'if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac',
  'function', '{', '}', 'local', 'declare', 'alias', 'ulimit', 'umask', 'sleep',
]);

/** True when only blanks, `;` and comments follow `offset` in the section. */
function onlyCommentsAfter(file: ParsedFile, section: Section, offset: number): boolean {
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
function readsAsShell(script: ShellScript): boolean {
  return script.syntaxErrors.length === 0 && !script.commands.some((cmd) => cmd.args.some((arg) => arg.raw.startsWith('(')));
}

/**
 * The command a script ends with, when it is a plain simple command that `exec` could start: a
 * statement of its own at the end (not in a pipeline, `a && b`, `if`, loop or group, not in the
 * background, without redirections or prefix assignments) in a script without `trap` or syntax errors.
 */
function lastSimpleCommand(script: ShellScript, file: ParsedFile, allowExec = false): ShellCommand | undefined {
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
function firstWord(file: ParsedFile, cmd: ShellCommand): { text: string; start: number } {
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

export const runscriptWithoutExec = defineRule({
  meta: {
    id: 'DEF212',
    slug: 'runscript-without-exec',
    group: 'sections',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'The last command of `%runscript`/`%startscript`/`%apprun` is not started with `exec`.',
    description: [
      'Without `exec` the shell stays as the parent of the program: signals from `docker stop`-like tools, batch',
      'schedulers and `instance stop` reach the shell, not the program, and the exit path is longer. With `exec` the',
      'program replaces the shell.',
      '',
      '**Fix:** `exec program "$@"` (safe fix adds `exec`).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%runscript\n    python3 /opt/app/main.py "$@"\n',
    good: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%runscript\n    exec python3 /opt/app/main.py "$@"\n',
    source: 'AP-DEF (%runscript), SPY (writer emits `exec ... "$@"`)',
    fixKind: 'safe',
    needsShell: true,
  },
  check(ctx) {
    // On the shell syntax tree: the last statement, whatever its layout (`cd /x; prog`, `prog \`
    // continuation lines, `prog ${X}/y`), and never a command inside a string or heredoc.
    for (const stage of liveStages(ctx.file)) {
      for (const script of stageScripts(ctx, stage, isEntrySection)) {
        const last = lastSimpleCommand(script, ctx.file);
        if (!last) continue;
        const word = firstWord(ctx.file, last);
        ctx.report({
          message: `%${script.section.name} ends with ${q(word.text)} without \`exec\`: the shell stays in between and receives the signals`,
          range: rangeOf(ctx.file, word.start, word.start + word.text.length),
          fix: { description: 'Start the last command with exec', edits: [{ start: word.start, end: word.start, text: 'exec ' }] },
        });
      }
    }
  },
});

export const runscriptDropsArgs = defineRule({
  meta: {
    id: 'DEF213',
    slug: 'runscript-drops-args',
    group: 'sections',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`%runscript`/`%apprun` ignores its arguments, or splits them with unquoted `$@`.',
    description: [
      '`apptainer run image a b` passes `a b` to the runscript. A runscript that never uses `"$@"` (or `$1`...)',
      'silently drops them (info). Unquoted `$@` or `$*` re-splits arguments that contain spaces (warning).',
      '',
      '**Fix:** end with `exec program "$@"`; quote `"$@"` (safe fix for `$@`).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%runscript\n    exec /opt/tool $@\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%runscript\n    exec /opt/tool "$@"\n',
    source: 'AP-DEF (%runscript), SPY',
    fixKind: 'safe',
    needsShell: true,
  },
  check(ctx) {
    // On the shell syntax tree: `$1`/`"$@"` in comments, single quotes or quoted heredocs do not
    // use the arguments; `$@` in an assignment (`ARGS=$@`) or a heredoc is never split.
    for (const stage of liveStages(ctx.file)) {
      for (const script of stageScripts(ctx, stage, (section) => section.name === 'runscript' || section.name === 'apprun')) {
        const { section } = script;
        const details = shellDetails(script);
        if (script.commands.length === 0 && details.assignments.length === 0 && details.functions.length === 0) continue;
        const specials = specialParameterUses(script, ctx.file);
        for (const hit of specials) {
          if (hit.quoted || hit.inAssignment || hit.name === '#' || !/^\$(?:[@*]|\{[@*]\})$/.test(hit.text)) continue;
          const start = hit.offset;
          const isAt = hit.name === '@';
          ctx.report({
            message: `Unquoted ${q(hit.text)} splits arguments that contain spaces: write "$@"`,
            range: rangeOf(ctx.file, start, start + hit.text.length),
            severity: 'warning',
            fix: isAt ? { description: 'Quote "$@"', edits: [{ start, end: start + hit.text.length, text: '"$@"' }] } : undefined,
            suggestions: isAt ? undefined : [replaceFix('Use "$@"', start, start + hit.text.length, '"$@"')],
          });
        }
        const forwards =
          specials.length > 0 ||
          details.variables.some((ref) => /^[1-9]\d*$/.test(ref.name)) ||
          script.commands.some((cmd) => cmd.baseName === 'shift' || cmd.baseName === 'getopts');
        if (forwards) continue;
        const last = lastSimpleCommand(script, ctx.file, true);
        const head = sectionWordSpan(ctx.file, section);
        const end = last?.range.end.offset;
        ctx.report({
          message: `%${section.name} never uses its arguments ("$@", $1, ...): arguments given to \`apptainer run\` are dropped`,
          range: rangeOf(ctx.file, head.percentStart, head.wordEnd),
          suggestions: end !== undefined ? [{ description: 'Pass the arguments to the last command', edits: [{ start: end, end, text: ' "$@"' }] }] : [],
        });
      }
    }
  },
});

export const scriptRules: Rule[] = [setupTouchesHost, shebangInBuildSection, shebangNotFirst, runscriptWithoutExec, runscriptDropsArgs];
