// The walker's facts beyond commands: special parameters as variable reads (with their quoting
// context), loop and `read` variables as assignments, and its two tree-sitter-bash workarounds
// (assignments glued onto the next line's command; redirects put on a whole `a && b` list).
import { describe, expect, test } from 'vitest';
import { parse } from '../../../src/parse/index.js';
import { clearShellCache, parseShellScripts, setShellCacheEnabled, shellDetails } from '../../../src/lint/shell/index.js';
import type { ShellScript } from '../../../src/lint/types.js';

const HEAD = 'Bootstrap: docker\nFrom: alpine:3.20\n\n';

async function scriptOf(body: string, section = '%post'): Promise<{ text: string; script: ShellScript }> {
  const text = `${HEAD}${section}\n${body}`;
  const [script] = await parseShellScripts(parse(text));
  return { text, script };
}

function textAt(text: string, range: { start: { offset: number }; end: { offset: number } }): string {
  return text.slice(range.start.offset, range.end.offset);
}

/** Variable reads as [name, expansion text, quoted, inAssignment, inHeredoc]. */
function reads(text: string, script: ShellScript): [string, string, boolean, boolean, boolean][] {
  return shellDetails(script).variables.map((v) => [v.name, textAt(text, v.expansion), v.quoted, v.inAssignment, v.inHeredoc]);
}

describe('special parameters are variable reads', () => {
  test('$@ $* $# and positional ones, braced and with operators, quoted or not', async () => {
    const { text, script } = await scriptOf('    echo $@ "$*" $# $1 ${@} "${@:2}" ${#} ${#X} \'$@\' # $*\n');
    expect(reads(text, script)).toEqual([
      ['@', '$@', false, false, false],
      ['*', '$*', true, false, false],
      ['#', '$#', false, false, false],
      ['1', '$1', false, false, false],
      ['@', '${@}', false, false, false],
      ['@', '${@:2}', true, false, false],
      ['#', '${#}', false, false, false],
      ['X', '${#X}', false, false, false], // the length of X: a read of X, not of $#
    ]);
    const [at] = shellDetails(script).variables;
    expect(textAt(text, at.range)).toBe('@');
    expect(shellDetails(script).variables.find((v) => textAt(text, v.expansion) === '${@:2}')?.operator).toBe(':');
  });

  test('expansions in strings start at their `$` (tree-sitter-bash puts the blanks before into the token)', async () => {
    const { text, script } = await scriptOf('    add-apt-repository "deb ${A} ${B}\n  $@ main"\n');
    expect(reads(text, script).map(([name, written, quoted]) => [name, written, quoted])).toEqual([
      ['A', '${A}', true],
      ['B', '${B}', true],
      ['@', '$@', true],
    ]);
    expect(shellDetails(script).variables[2].expansion.start.line).toBe(6);
  });

  test('in for word lists, [[ ]], (( )) and case subjects', async () => {
    const body = '    for a in "$@" $*; do :; done\n    [[ $# -gt 0 ]] && echo\n    (( $# > 1 ))\n    case $# in 1) ;; esac\n';
    const { text, script } = await scriptOf(body, '%runscript');
    expect(reads(text, script).map(([name, written, quoted]) => [name, written, quoted])).toEqual([
      ['@', '$@', true],
      ['*', '$*', false],
      ['#', '$#', false],
      ['#', '$#', false],
      ['#', '$#', false],
    ]);
  });

  test('in unquoted heredoc bodies only', async () => {
    const body = '    cat <<EOF\n$@ "$X"\nEOF\n    cat <<\'EOF\'\n$* $Y\nEOF\n';
    const { text, script } = await scriptOf(body);
    expect(reads(text, script)).toEqual([
      ['@', '$@', false, false, true],
      ['X', '$X', false, false, true], // quotes in a heredoc body are plain text
    ]);
  });

  test('assignment values; a command substitution starts afresh', async () => {
    const body = '    A="$@"\n    B=$* cmd\n    export C=$#\n    D=$(f $@)\n';
    const { text, script } = await scriptOf(body);
    expect(reads(text, script)).toEqual([
      ['@', '$@', true, true, false],
      ['*', '$*', false, true, false],
      ['#', '$#', false, true, false],
      ['@', '$@', false, false, false],
    ]);
  });

  test('the operator after the name: defaults are visible', async () => {
    const { script } = await scriptOf('    echo ${A:-a} ${B-b} ${C:=c} ${D} ${E%%.*} $F\n');
    expect(shellDetails(script).variables.map((v) => [v.name, v.operator])).toEqual([
      ['A', ':-'],
      ['B', '-'],
      ['C', ':='],
      ['D', undefined],
      ['E', '%%'],
      ['F', undefined],
    ]);
  });
});

describe('loop and read variables are assignments', () => {
  test('for / select loop variables, with where', async () => {
    const { text, script } = await scriptOf(
      '    for X in a b; do :; done\n    select CHOICE in x y; do break; done\n    for (( i = 0; i < 3; i++ )); do :; done\n',
      '%post -c /bin/bash',
    );
    const found = shellDetails(script).assignments.map((a) => [a.name, a.via, a.value, textAt(text, a.range), a.nested]);
    expect(found).toEqual([
      ['X', 'for', '', 'X', false],
      ['CHOICE', 'select', '', 'CHOICE', false],
      ['i', undefined, '0', 'i = 0', false], // `for (( i = 0; ...))` holds a plain assignment
    ]);
  });

  test('read targets, skipping option values; -a names an array', async () => {
    const { script } = await scriptOf('    read -r -p "Name? " FIRST LAST\n    read -ra PARTS <<< "a b"\n    f() { read -t 5 REPLY; }\n    echo "read X"\n');
    expect(shellDetails(script).assignments.map((a) => [a.name, a.via, a.nested])).toEqual([
      ['FIRST', 'read', false],
      ['LAST', 'read', false],
      ['PARTS', 'read', false],
      ['REPLY', 'read', true],
    ]);
  });
});

describe('assignments a newline separates from a command', () => {
  test('`A=1 B=2`, newline, `cmd`: standalone assignments; the command starts at its name', async () => {
    // Without a final newline tree-sitter-bash reads the two lines as one command `A=1 B=2 cmd`.
    const text = `${HEAD}%post\n    A=1 B=2\n    cmd x`;
    const [script] = await parseShellScripts(parse(text));
    expect(shellDetails(script).assignments.map((a) => [a.name, a.value, textAt(text, a.range)])).toEqual([
      ['A', '1', 'A=1'],
      ['B', '2', 'B=2'],
    ]);
    const [cmd] = script.commands;
    expect(cmd.name).toBe('cmd');
    expect(cmd.assignments).toEqual([]);
    expect(textAt(text, cmd.range)).toBe('cmd x');
  });

  test('the same inside a compound command; a prefix after `A=1` on the next line stays one', async () => {
    const { text, script } = await scriptOf('    if true; then\n      A=1\n      B=2 cmd\n    fi\n');
    expect(shellDetails(script).assignments.map((a) => a.name)).toEqual(['A']);
    const cmd = script.commands.find((c) => c.name === 'cmd')!;
    expect(cmd.assignments.map((a) => a.name)).toEqual(['B']);
    expect(textAt(text, cmd.range)).toBe('B=2 cmd');
  });

  test('a line continuation does not end the statement: the assignment is a prefix', async () => {
    const text = `${HEAD}%post\n    C=1 \\\n      run`;
    const [script] = await parseShellScripts(parse(text));
    expect(shellDetails(script).assignments).toEqual([]);
    expect(script.commands[0].assignments.map((a) => a.name)).toEqual(['C']);
    expect(textAt(text, script.commands[0].range)).toBe('C=1 \\\n      run');
  });

  test('`export C=1 D` glued after assignments is still a declaration', async () => {
    const { text, script } = await scriptOf('    A=1 B=2\n    export C=1 D\n', '%environment');
    const found = shellDetails(script).assignments.map((a) => [a.name, a.value, a.exported, textAt(text, a.range)]);
    expect(found).toEqual([
      ['A', '1', false, 'A=1'],
      ['B', '2', false, 'B=2'],
      ['C', '1', true, 'C=1'],
      ['D', '', true, 'D'],
    ]);
    const exportCmd = script.commands.find((c) => c.name === 'export')!;
    expect(textAt(text, exportCmd.range)).toBe('export C=1 D');
    expect(exportCmd.assignments.map((a) => a.name)).toEqual(['C']);
  });
});

describe('redirects after a list belong to its last command', () => {
  test('`a && b > f`: b writes f, a does not', async () => {
    const { script } = await scriptOf('    test -d /x && echo 1 > /etc/a 2>/dev/null\n');
    const [test, echo] = script.commands;
    expect(test.redirects).toEqual([]);
    expect(echo.redirects.map((r) => [r.op, r.target])).toEqual([
      ['>', '/etc/a'],
      ['2>', '/dev/null'],
    ]);
  });

  test('longer lists, pipelines at the end, heredocs', async () => {
    const { script } = await scriptOf('    a && b || c > f\n    d && e | g >> h\n    i && cat <<EOF\nx\nEOF\n');
    const redirected = script.commands.filter((c) => c.redirects.length > 0).map((c) => [c.name, c.redirects.map((r) => r.target)]);
    expect(redirected).toEqual([
      ['c', ['f']],
      ['g', ['h']],
      ['cat', ['EOF']],
    ]);
    expect(script.commands.find((c) => c.name === 'b')?.checked).toBe(true);
    expect(script.commands.find((c) => c.name === 'c')?.checked).toBe(false);
    expect(shellDetails(script).heredocs[0].command?.name).toBe('cat');
  });
});

describe('cache', () => {
  test('cached analyses move the new ranges (variable expansions, loop variables) with the section', async () => {
    setShellCacheEnabled(true);
    clearShellCache();
    try {
      const body = '%runscript\n    for X in "$@"; do echo "${X:-d}"; done\n';
      const first = `${HEAD}${body}`;
      const second = `${HEAD}%labels\n    A b\n\n${body}`;
      await parseShellScripts(parse(first));
      const [script] = await parseShellScripts(parse(second));
      const details = shellDetails(script);
      expect(details.variables.map((v) => [textAt(second, v.expansion), textAt(second, v.range)])).toEqual([
        ['$@', '@'],
        ['${X:-d}', 'X'],
      ]);
      expect(details.assignments.map((a) => textAt(second, a.range))).toEqual(['X']);
      expect(details.variables[1].expansion.start.line).toBe(8);
    } finally {
      clearShellCache();
    }
  });
});
