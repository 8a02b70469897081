// Script-section rules (DEF209–DEF213): %setup on the host, shebangs, exec and arguments.
import type { Section } from '../../../parse/model.js';
import type { Fix, Rule } from '../../types.js';
import { codeLines, type CodeLine } from '../util/shell-lines.js';
import { isEntrySection, liveStages } from '../util/sections.js';
import { endOfLineIncludingNewline, q, rangeOf, replaceFix, sectionWordSpan } from '../util/text.js';

const PACKAGE_MANAGERS = new Set(['apt-get', 'apt', 'yum', 'dnf', 'zypper', 'apk', 'pacman', 'pip', 'pip3', 'conda', 'mamba', 'npm', 'gem']);
const DESTINATION_LAST = new Set(['cp', 'mv', 'rsync', 'install', 'ln']);
const ALL_PATHS = new Set(['mkdir', 'touch', 'rm', 'chmod', 'chown', 'tee', 'rmdir', 'sed', 'truncate']);
const RECURSIVE_DANGER = new Set(['rm', 'chmod', 'chown']);

function isHostPath(word: string): boolean {
  const path = word.replace(/^["']|["']$/g, '');
  return path.startsWith('/') && !/^\/(dev|proc|tmp)(\/|$)/.test(path);
}

export const setupTouchesHost: Rule = {
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
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      for (const section of stage.sections) {
        if (section.kind === 'unknown' || section.name !== 'setup') continue;
        for (const line of codeLines(section)) {
          for (const command of line.code.split(/&&|\|\||;|\|/)) {
            const offsetInLine = line.code.indexOf(command);
            const words: { text: string; index: number }[] = [];
            for (const match of command.matchAll(/\S+/g)) words.push({ text: match[0], index: offsetInLine + match.index! });
            while (words.length > 0 && /^(sudo|env|[A-Za-z_]\w*=\S*)$/.test(words[0].text)) words.shift();
            if (words.length === 0) continue;
            const name = words[0].text.split('/').pop()!;
            const args = words.slice(1);
            const wordStart = (word: { index: number }) => line.offset + word.index;
            if (PACKAGE_MANAGERS.has(name) && args.some((arg) => /^(install|add|update|upgrade|-S\w*|remove)$/.test(arg.text))) {
              ctx.report({
                message: `${q(name)} in %setup installs on the build host, not in the container: use %post`,
                range: rangeOf(ctx.file, wordStart(words[0]), wordStart(words[0]) + words[0].text.length),
                severity: 'error',
              });
              continue;
            }
            const targets: { text: string; index: number }[] = [];
            const paths = args.filter((arg) => !arg.text.startsWith('-'));
            if (DESTINATION_LAST.has(name) && paths.length >= 2) targets.push(paths[paths.length - 1]);
            else if (ALL_PATHS.has(name)) targets.push(...paths);
            for (const redirect of command.matchAll(/>{1,2}\s*(\S+)/g)) {
              targets.push({ text: redirect[1], index: offsetInLine + redirect.index! + redirect[0].indexOf(redirect[1]) });
            }
            const recursive = RECURSIVE_DANGER.has(name) && args.some((arg) => /^-\w*[rR]/.test(arg.text));
            for (const target of targets) {
              if (!isHostPath(target.text)) continue;
              const start = wordStart(target);
              const quoteOffset = /^["']/.test(target.text) ? 1 : 0;
              ctx.report({
                message: recursive
                  ? `Recursive ${q(name)} on the host path ${q(target.text)}: %setup runs on the build host`
                  : `${q(target.text)} is a path on the build host (%setup runs there); container paths start with \${APPTAINER_ROOTFS}`,
                range: rangeOf(ctx.file, start, start + target.text.length),
                severity: recursive ? 'error' : undefined,
                suggestions: [replaceFix('Prefix with ${APPTAINER_ROOTFS}', start + quoteOffset, start + quoteOffset, '${APPTAINER_ROOTFS}')],
              });
            }
          }
        }
      }
    }
  },
};

const SHELLS = /^\/(?:usr\/)?bin\/(?:env\s+)?(bash|sh|zsh|ksh|dash)\b|^\/usr\/bin\/env\s+(bash|sh|zsh|ksh|dash)\b/;
const SHEBANG_IGNORED = new Set(['post', 'setup', 'pre', 'appinstall', 'apprun', 'appstart', 'apptest']);

function firstNonBlank(section: Section) {
  return section.bodyLines.find((line) => line.text.trim() !== '');
}

export const shebangInBuildSection: Rule = {
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
};

const SHEBANG_HONOURED = new Set(['runscript', 'startscript', 'test']);

export const shebangNotFirst: Rule = {
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
};

const NOT_EXECABLE = new Set([
  'exec', 'echo', 'printf', 'exit', 'return', 'true', 'false', ':', 'cd', 'export', 'set', 'source', '.', 'unset', 'shift', 'wait',
  'trap', 'read', 'test', '[', '[[', 'eval', 'if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac',
  'function', '{', '}', 'local', 'declare', 'alias', 'ulimit', 'umask', 'sleep',
]);

/** The last command line of a script when it is a simple command that `exec` could start. */
function lastSimpleCommand(section: Section, allowExec = false): CodeLine | undefined {
  const lines = codeLines(section);
  const last = lines[lines.length - 1];
  if (!last || last.continuation) return undefined;
  if (section.bodyLines.some((line) => /^\s*trap\b/.test(line.text))) return undefined;
  const code = last.code.trim();
  if (code === '' || /[|;&<>(){}`]|\\$/.test(code.replace(/"[^"]*"|'[^']*'/g, '""'))) return undefined;
  const first = code.split(/\s+/)[0];
  if ((NOT_EXECABLE.has(first) && !(allowExec && first === 'exec')) || /^[A-Za-z_]\w*=/.test(first) || first.endsWith(')') || first === ';;') return undefined;
  return last;
}

function isShellScript(section: Section): boolean {
  return !section.shell || section.shell.dialect !== 'other';
}

export const runscriptWithoutExec: Rule = {
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
  },
  check(ctx) {
    for (const stage of liveStages(ctx.file)) {
      for (const section of stage.sections) {
        if (!isEntrySection(section) || !isShellScript(section)) continue;
        const last = lastSimpleCommand(section);
        if (!last) continue;
        const start = last.offset + (last.text.length - last.text.trimStart().length);
        const word = last.code.trim().split(/\s+/)[0];
        ctx.report({
          message: `%${section.name} ends with ${q(word)} without \`exec\`: the shell stays in between and receives the signals`,
          range: rangeOf(ctx.file, start, start + word.length),
          fix: { description: 'Start the last command with exec', edits: [{ start, end: start, text: 'exec ' }] },
        });
      }
    }
  },
};

const FORWARDS_ARGS = /\$[@*#1-9]|\$\{[@*#1-9]|\bshift\b|\bgetopts\b/;

/** `$@`, `${@}`, `$*`, `${*}` outside double quotes, with offsets in `code`. */
function unquotedArgs(code: string): { index: number; text: string }[] {
  const found: { index: number; text: string }[] = [];
  let quote = '';
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (quote === "'") {
      if (ch === "'") quote = '';
      continue;
    }
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '"') quote = quote ? '' : '"';
    else if (ch === "'" && !quote) quote = "'";
    else if (ch === '$' && !quote) {
      const match = /^\$(?:[@*]|\{[@*]\})/.exec(code.slice(i));
      if (match) found.push({ index: i, text: match[0] });
    }
  }
  return found;
}

export const runscriptDropsArgs: Rule = {
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
  },
  check(ctx) {
    for (const stage of liveStages(ctx.file)) {
      for (const section of stage.sections) {
        if (section.kind === 'unknown' || (section.name !== 'runscript' && section.name !== 'apprun') || !isShellScript(section)) continue;
        const lines = codeLines(section);
        if (lines.length === 0) continue;
        let forwards = false;
        for (const line of lines) {
          if (FORWARDS_ARGS.test(line.code)) forwards = true;
          for (const hit of unquotedArgs(line.code)) {
            const start = line.offset + hit.index;
            const isAt = hit.text.includes('@');
            ctx.report({
              message: `Unquoted ${q(hit.text)} splits arguments that contain spaces: write "$@"`,
              range: rangeOf(ctx.file, start, start + hit.text.length),
              severity: 'warning',
              fix: isAt ? { description: 'Quote "$@"', edits: [{ start, end: start + hit.text.length, text: '"$@"' }] } : undefined,
              suggestions: isAt ? undefined : [replaceFix('Use "$@"', start, start + hit.text.length, '"$@"')],
            });
          }
        }
        if (forwards) continue;
        const last = lastSimpleCommand(section, true);
        const head = sectionWordSpan(ctx.file, section);
        ctx.report({
          message: `%${section.name} never uses its arguments ("$@", $1, ...): arguments given to \`apptainer run\` are dropped`,
          range: rangeOf(ctx.file, head.percentStart, head.wordEnd),
          suggestions: last
            ? [{ description: 'Pass the arguments to the last command', edits: [{ start: last.offset + last.code.trimEnd().length, end: last.offset + last.code.trimEnd().length, text: ' "$@"' }] }]
            : [],
        });
      }
    }
  },
};

export const scriptRules: Rule[] = [setupTouchesHost, shebangInBuildSection, shebangNotFirst, runscriptWithoutExec, runscriptDropsArgs];
