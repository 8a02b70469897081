// The shell-tree helpers of the structure rules read everything from the walker (no text scans):
// loop and `read` variables, special parameters, glued assignments, redirects after `a && b`.
import { describe, expect, it } from 'vitest';
import { parse } from '../../../../src/parse/index.js';
import { parseShellScripts } from '../../../../src/lint/shell/index.js';
import type { ShellScript } from '../../../../src/lint/types.js';
import type { ParsedFile } from '../../../../src/parse/model.js';
import {
  assignedNames,
  assignmentStatements,
  isPrefixAssignment,
  redirectWords,
  specialParameterUses,
  variableReads,
} from '../../../../src/lint/vocab/shell-tree.js';
import { environmentVarUsedAtBuild } from '../../../../src/lint/rules/sections/environment-var-used-at-build.js';
import { environmentWithoutExport } from '../../../../src/lint/rules/sections/environment-without-export.js';
import { runscriptDropsArgs } from '../../../../src/lint/rules/sections/runscript-drops-args.js';
import { setupTouchesHost } from '../../../../src/lint/rules/sections/setup-touches-host.js';
import { lintRule } from '../../../helpers/rule-tester.js';

const HEAD = 'Bootstrap: docker\nFrom: alpine:3.19\n\n';

async function scriptOf(text: string): Promise<{ file: ParsedFile; script: ShellScript }> {
  const file = parse(text);
  const [script] = await parseShellScripts(file);
  return { file, script };
}

const at = (text: string, range: { start: { offset: number }; end: { offset: number } }) => text.slice(range.start.offset, range.end.offset);

describe('shell-tree helpers', () => {
  it('assignedNames: assignments, declarations, loop variables, read and getopts targets', async () => {
    const text = `${HEAD}%post\n    A=1\n    export B\n    for C in x; do :; done\n    read -r D\n    getopts ab E\n    F=1 cmd\n    echo "for G in x"\n`;
    const { file, script } = await scriptOf(text);
    expect([...assignedNames(script, file).keys()]).toEqual(['A', 'B', 'C', 'D', 'E']);
    // Loop and read variables are not assignment statements.
    expect(assignmentStatements(script, file).map((a) => a.name)).toEqual(['A', 'B']);
  });

  it('assignmentStatements: assignments on the line before a command are statements; isPrefixAssignment', async () => {
    const text = `${HEAD}%environment\n    A=1 B=2\n    export C=1`;
    const { file, script } = await scriptOf(text);
    expect(assignmentStatements(script, file).map((a) => [a.name, a.exported])).toEqual([
      ['A', false],
      ['B', false],
      ['C', true],
    ]);
    const prefixed = await scriptOf(`${HEAD}%post\n    A=1\n    B=2 cmd`);
    const cmd = prefixed.script.commands[0];
    expect(cmd.assignments.map((a) => a.name)).toEqual(['B']);
    expect(isPrefixAssignment(cmd, cmd.assignments[0], prefixed.file)).toBe(true);
  });

  it('specialParameterUses: as written, quoted, in assignments and unquoted heredocs', async () => {
    const text = `${HEAD}%runscript\n    exec tool $@ "\${@:2}" \${*}\n    ARGS=$@\n    export ALL=$*\n    [[ \${#} -gt 0 ]]\n    cat <<EOF\n$@\nEOF\n    cat <<'EOF'\n$*\nEOF\n    echo '$@' # $@\n`;
    const { file, script } = await scriptOf(text);
    const uses = specialParameterUses(script, file).map((u) => [u.name, u.text, u.quoted, u.inAssignment, text.slice(u.offset, u.offset + u.text.length)]);
    expect(uses).toEqual([
      ['@', '$@', false, false, '$@'],
      ['@', '${@', true, false, '${@'],
      ['*', '${*}', false, false, '${*}'],
      ['@', '$@', false, true, '$@'],
      ['*', '$*', false, false, '$*'], // an argument of export, as before
      ['#', '${#}', false, false, '${#}'],
      ['@', '$@', false, true, '$@'], // heredoc bodies are never split
    ]);
  });

  it('variableReads: from the `$`, with defaults', async () => {
    const text = `${HEAD}%post\n    echo \${A:-x} "$B" \${#C} \${D=1} $1 $@\n`;
    const { file, script } = await scriptOf(text);
    expect(variableReads(script, file).map((r) => [r.name, at(text, r.range), r.hasDefault])).toEqual([
      ['A', '${A', true],
      ['B', '$B', false],
      ['C', '${#C', false],
      ['D', '${D', true],
    ]);
  });

  it('redirectWords: `a && b > f` writes through b only', async () => {
    const text = `${HEAD}%setup\n    test -d /x && echo 1 > "/etc/a" 2>/dev/null >&2\n`;
    const { file, script } = await scriptOf(text);
    const [test, echo] = script.commands;
    expect(redirectWords(test, file)).toEqual([]);
    expect(redirectWords(echo, file).map((w) => [w.raw, w.text, at(text, w.range)])).toEqual([
      ['"/etc/a"', '/etc/a', '"/etc/a"'],
      ['/dev/null', '/dev/null', '/dev/null'],
    ]);
  });
});

describe('rules keep their behaviour on walker facts', () => {
  it('DEF206 does not take loop or read variables for unexported settings', async () => {
    const text = `${HEAD}%environment\n    for DIR in /opt/a /opt/b; do PATH="$DIR:$PATH"; done\n    read -r LINE < /etc/hostname\n    A=1 B=2\n    export C=1`;
    expect((await lintRule(environmentWithoutExport, text)).map((r) => r.excerpt)).toEqual(['A', 'B']);
  });

  it('DEF207: a loop or read variable in %post is set there', async () => {
    const text = `${HEAD}%environment\n    export X=1 Y=2 Z=3\n\n%post\n    for X in a; do echo $X; done\n    read Y < /f; echo $Y\n    echo $Z\n`;
    expect((await lintRule(environmentVarUsedAtBuild, text)).map((r) => r.excerpt)).toEqual(['$Z']);
  });

  it('DEF213 sees arguments used only by compound commands; reports unquoted $@ in loops', async () => {
    expect(await lintRule(runscriptDropsArgs, `${HEAD}%runscript\n    if [ $# -gt 0 ]; then exec tool; fi\n`)).toEqual([]);
    expect(await lintRule(runscriptDropsArgs, `${HEAD}%runscript\n    case \${#} in 0) exit 1;; esac\n    exec tool\n`)).toEqual([]);
    const reports = await lintRule(runscriptDropsArgs, `${HEAD}%runscript\n    for a in $@; do echo "$a"; done\n`);
    expect(reports.map((r) => r.excerpt)).toEqual(['$@']);
    // Single-quoted or commented `$@` is no use of the arguments.
    expect((await lintRule(runscriptDropsArgs, `${HEAD}%runscript\n    echo '$@' # $@\n`)).map((r) => r.excerpt)).toEqual(['%runscript']);
  });

  it('DEF209 sees redirects after `&&` and `|`', async () => {
    const reports = await lintRule(setupTouchesHost, `${HEAD}%setup\n    true && cat a | tee -a x > /etc/b\n`);
    expect(reports.map((r) => r.excerpt)).toEqual(['/etc/b']);
  });
});
