import { lint } from '../../../../src/lint/index.js';
import { describe, expect, it } from 'vitest';
import { parse } from '../../../../src/parse/index.js';
import { filesDestInBoundDir } from '../../../../src/lint/rules/sections/files-dest-in-bound-dir.js';
import { filesExtraFields } from '../../../../src/lint/rules/sections/files-extra-fields.js';
import { labelEmptyOrDuplicate } from '../../../../src/lint/rules/sections/label-empty-or-duplicate.js';
import { labelSchema } from '../../../../src/lint/rules/sections/label-schema.js';
import { labelsSeparator } from '../../../../src/lint/rules/sections/labels-separator.js';
import { environmentPosix } from '../../../../src/lint/rules/sections/environment-posix.js';
import { environmentVarUsedAtBuild } from '../../../../src/lint/rules/sections/environment-var-used-at-build.js';
import { environmentWithoutExport } from '../../../../src/lint/rules/sections/environment-without-export.js';
import { postExportLost } from '../../../../src/lint/rules/sections/post-export-lost.js';
import { runscriptDropsArgs } from '../../../../src/lint/rules/sections/runscript-drops-args.js';
import { runscriptWithoutExec } from '../../../../src/lint/rules/sections/runscript-without-exec.js';
import { setupTouchesHost } from '../../../../src/lint/rules/sections/setup-touches-host.js';
import { shebangInBuildSection } from '../../../../src/lint/rules/sections/shebang-in-build-section.js';
import { shebangNotFirst } from '../../../../src/lint/rules/sections/shebang-not-first.js';
import { emptySection } from '../../../../src/lint/rules/sections/empty-section.js';
import { missingHelp } from '../../../../src/lint/rules/sections/missing-help.js';
import { applyFix, lintRule } from '../../../helpers/rule-tester.js';

const HEAD = 'Bootstrap: docker\nFrom: alpine:3.19\n\n';

describe('%files', () => {
  it('DEF201 splits extra sources into one line each', async () => {
    const text = `${HEAD}%files\n    a b c /opt/\n`;
    const [report] = await lintRule(filesExtraFields, text);
    expect(report.excerpt).toBe('c /opt/');
    expect(applyFix(text, report.suggestions![0])).toBe(`${HEAD}%files\n    a /opt/\n    b /opt/\n    c /opt/\n`);
  });
  it('DEF201 reports an inline comment used as destination, not a trailing one', async () => {
    expect((await lintRule(filesExtraFields, `${HEAD}%files\n    a # note\n`))[0].message).toMatch(/file named `#`/);
    expect(await lintRule(filesExtraFields, `${HEAD}%files\n    a /a # note\n`)).toEqual([]);
  });
  it('DEF202 checks explicit and implied destinations', async () => {
    const reports = await lintRule(filesDestInBoundDir, `${HEAD}%files\n    x /tmp/x\n    tmp/y\n    z /opt/z\n    h $HOME/h\n`);
    expect(reports.map((r) => r.excerpt)).toEqual(['/tmp/x', 'tmp/y', '$HOME/h']);
    const text = `${HEAD}%files\n    x /var/tmp/x\n`;
    const [report] = await lintRule(filesDestInBoundDir, text);
    expect(applyFix(text, report.suggestions![0])).toBe(`${HEAD}%files\n    x /opt/x\n`);
  });
});

describe('%labels', () => {
  it('DEF203 fixes = and : separators and tabs', async () => {
    const text = `${HEAD}%labels\n    Author=me\n    Version: 1.0\n    Tab\tx\n`;
    const reports = await lintRule(labelsSeparator, text);
    expect(reports).toHaveLength(3);
    let fixed = text;
    for (const report of [...reports].reverse()) fixed = applyFix(fixed, report.fix!);
    expect(fixed).toBe(`${HEAD}%labels\n    Author me\n    Version 1.0\n    Tab x\n`);
    expect(parse(fixed).stages[0].sections[0].labels!.map((l) => [l.key, l.value])).toEqual([
      ['Author', 'me'],
      ['Version', '1.0'],
      ['Tab', 'x'],
    ]);
  });
  it('DEF203 drops the quotes of a Docker-style value', async () => {
    const text = `${HEAD}%labels\n    maintainer="Jane Doe"\n`;
    const [report] = await lintRule(labelsSeparator, text);
    const fixed = applyFix(text, report.fix!);
    expect(fixed).toBe(`${HEAD}%labels\n    maintainer Jane Doe\n`);
    expect(parse(fixed).stages[0].sections[0].labels![0]).toMatchObject({ key: 'maintainer', value: 'Jane Doe' });
  });
  it('DEF204 reports empty and duplicate labels, per app for %applabels', async () => {
    const reports = await lintRule(labelEmptyOrDuplicate, `${HEAD}%labels\n    A 1\n    B\n    A 2\n%applabels x\n    A 1\n%applabels y\n    A 1\n`);
    expect(reports.map((r) => [r.line, r.message.slice(0, 12)])).toEqual([
      [6, 'Label `B` ha'],
      [7, 'Label `A` is'],
    ]);
  });
  it('DEF216 checks required labels from settings and options', async () => {
    const text = `${HEAD}%labels\n    Version 1\n`;
    expect(await lintRule(labelSchema, text)).toEqual([]);
    expect((await lintRule(labelSchema, text, { requiredLabels: ['Maintainer'] }))[0].message).toMatch(/Maintainer/);
    expect(await lintRule(labelSchema, text, { options: { required: ['Version'] } })).toEqual([]);
    expect((await lintRule(labelSchema, text, { labelSchema: { Version: 'semver' } }))[0].excerpt).toBe('1');
  });
});

describe('%environment', () => {
  it("DEF205: %environment runs in Apptainer's embedded bash-syntax interpreter: `source`, [[ ]] and arrays are fine; functions and hooks are not", async () => {
    const text = `${HEAD}%environment\n    if [[ -d /x ]]; then export A=1; fi\n    export B="a=("\n    arr=(a b)\n    f() { :; }\n    module load gcc\n    source /opt/intel/oneapi/setvars.sh\n`;
    const findings = await lint(text, { shellcheck: false, config: { extends: 'recommended', rules: { DEF205: 'warning' } } });
    const lines = findings.filter((f) => f.ruleId === environmentPosix.meta.id).map((f) => f.range.start.line);
    expect(lines).toEqual([8, 9]);
  });
  it('DEF206 adds export, and skips exported, ambient, lowercase and one-command assignments', async () => {
    const text = `${HEAD}%environment\n    FOO=1\n    BAR=2\n    export BAR\n    PATH=/x:$PATH\n    tmp=3\n    LANG=C locale\n`;
    const reports = await lintRule(environmentWithoutExport, text);
    expect(reports.map((r) => r.excerpt)).toEqual(['FOO']);
    expect(applyFix(text, reports[0].fix!)).toContain('    export FOO=1\n');
    expect(await lintRule(environmentWithoutExport, `${HEAD}%environment\n    set -a\n    FOO=1\n`)).toEqual([]);
  });
  it('DEF206 reads assignments from the syntax tree: not inside strings, both of `A=1 B=2`', async () => {
    // A line of a multi-line string is not an assignment (the line-based check reported WORLD).
    expect(await lintRule(environmentWithoutExport, `${HEAD}%environment\n    export MSG="hello\nWORLD=1"\n`)).toEqual([]);
    // `A=1 B=2` assigns both (the line-based check took B=2 for a command and reported nothing);
    // one `export` before the statement exports both.
    const text = `${HEAD}%environment\n    A=1 B=2\n    export C=1\n`;
    const reports = await lintRule(environmentWithoutExport, text);
    expect(reports.map((r) => r.excerpt)).toEqual(['A', 'B']);
    for (const report of reports) expect(applyFix(text, report.fix!)).toContain('    export A=1 B=2\n');
    // `readonly X=1` and assignments inside functions are not standalone settings.
    expect(await lintRule(environmentWithoutExport, `${HEAD}%environment\n    readonly X=1\n    f() {\n      Y=1\n    }\n`)).toEqual([]);
  });
  it('DEF207 reports %environment variables read in %post unless %post sets them', async () => {
    const env = `${HEAD}%environment\n    export APP=/opt/app\n\n`;
    expect((await lintRule(environmentVarUsedAtBuild, `${env}%post\n    mkdir -p "\${APP}/bin"\n`))[0].excerpt).toBe('${APP');
    expect(await lintRule(environmentVarUsedAtBuild, `${env}%post\n    APP=/opt/app\n    mkdir $APP\n`)).toEqual([]);
    expect(await lintRule(environmentVarUsedAtBuild, `${env}%post\n    echo '$APP'\n`)).toEqual([]);
  });
  it('DEF207 reads variables from the syntax tree: heredocs, defaults, one-command assignments', async () => {
    const env = `${HEAD}%environment\n    export APP=/opt/app\n\n`;
    // An unquoted heredoc expands $APP at build time (the line-based check skipped heredoc bodies);
    // a quoted one does not.
    const heredoc = await lintRule(environmentVarUsedAtBuild, `${env}%post\n    cat > /etc/profile.d/app.sh <<EOF\nexport PATH=$APP/bin:\\$PATH\nEOF\n`);
    expect(heredoc.map((r) => [r.excerpt, r.line])).toEqual([['$APP', 9]]);
    expect(await lintRule(environmentVarUsedAtBuild, `${env}%post\n    cat > /etc/profile.d/app.sh <<'EOF'\nexport PATH=$APP/bin:$PATH\nEOF\n`)).toEqual([]);
    // `${APP:-/opt/app}` has a value at build time (the line-based check said it expands to nothing).
    expect(await lintRule(environmentVarUsedAtBuild, `${env}%post\n    mkdir -p "\${APP:-/opt/app}"\n`)).toEqual([]);
    // `APP=/x cmd $APP`: the assignment is for cmd only, $APP is expanded before it (was not reported).
    expect((await lintRule(environmentVarUsedAtBuild, `${env}%post\n    APP=/x make $APP\n`)).map((r) => r.excerpt)).toEqual(['$APP']);
    // Loop variables and `read` targets are assignments.
    expect(await lintRule(environmentVarUsedAtBuild, `${env}%post\n    for APP in a b; do echo $APP; done\n`)).toEqual([]);
    expect(await lintRule(environmentVarUsedAtBuild, `${env}%post\n    read -r APP < /etc/app\n    echo $APP\n`)).toEqual([]);
  });
  it('DEF208 reports a %post export read by the runscript', async () => {
    const text = `${HEAD}%post\n    export DATA=/d\n\n%runscript\n    exec ls $DATA\n`;
    expect(await lintRule(postExportLost, text)).toHaveLength(1);
    expect(
      await lintRule(postExportLost, text.replace('    export DATA=/d\n', '    export DATA=/d\n    echo "export DATA=/d" >> $APPTAINER_ENVIRONMENT\n')),
    ).toEqual([]);
  });
  it('DEF208 reads exports from the syntax tree: after `&&`, persisted by a heredoc', async () => {
    const run = '\n%runscript\n    exec ls $DATA\n';
    // An export after `&&` is an export too (the line-based check looked at line starts only).
    expect((await lintRule(postExportLost, `${HEAD}%post\n    cd /d && export DATA=/d\n${run}`)).map((r) => r.excerpt)).toEqual(['DATA']);
    // Persisted through a heredoc into $APPTAINER_ENVIRONMENT (the line-based check skipped heredoc bodies).
    const persisted = `${HEAD}%post\n    export DATA=/d\n    cat >> $APPTAINER_ENVIRONMENT <<EOF\nexport DATA=/d\nEOF\n${run}`;
    expect(await lintRule(postExportLost, persisted)).toEqual([]);
  });
});

describe('scripts', () => {
  it('DEF209 warns on host writes and errors on recursive removal / package installs', async () => {
    const reports = await lintRule(
      setupTouchesHost,
      `${HEAD}%setup\n    mkdir -p /opt/x\n    cp a.txt \${APPTAINER_ROOTFS}/opt/\n    rm -rf /var/cache/x\n    apt-get install -y gcc\n    echo hi > /etc/motd\n`,
    );
    expect(reports.map((r) => [r.excerpt, r.severity])).toEqual([
      ['/opt/x', 'warning'],
      ['/var/cache/x', 'error'],
      ['apt-get', 'error'],
      ['/etc/motd', 'warning'],
    ]);
  });
  it('DEF209 reads commands from the syntax tree, not from text inside strings', async () => {
    // `;` inside a string does not start a command (the line-based check reported `/opt"`).
    expect(await lintRule(setupTouchesHost, `${HEAD}%setup\n    echo "a; rm -rf /opt" > "\${APPTAINER_ROOTFS}/x"\n`)).toEqual([]);
    // Commands after `&&` and behind wrappers, redirects after `&&` (tree-sitter attaches them to the list).
    const reports = await lintRule(setupTouchesHost, `${HEAD}%setup\n    test -d /x && echo 1 > /etc/a 2>/dev/null\n    sudo -u root mkdir "/srv/q"\n`);
    expect(reports.map((r) => r.excerpt)).toEqual(['/etc/a', '"/srv/q"']);
    expect(
      applyFix(
        `${HEAD}%setup\n    sudo -u root mkdir "/srv/q"\n`,
        (await lintRule(setupTouchesHost, `${HEAD}%setup\n    sudo -u root mkdir "/srv/q"\n`))[0].suggestions![0],
      ),
    ).toContain('mkdir "${APPTAINER_ROOTFS}/srv/q"');
  });
  it('DEF210 moves a bash shebang into the section arguments', async () => {
    const text = `${HEAD}%post\n    #!/bin/bash\n    echo\n`;
    const [report] = await lintRule(shebangInBuildSection, text);
    const fixed = applyFix(text, report.suggestions![0]);
    expect(fixed).toBe(`${HEAD}%post -c /bin/bash -e\n    echo\n`);
    expect(parse(fixed).stages[0].sections[0].shell?.commandLine ?? '').toContain('/bin/bash -e');
    expect(await lintRule(shebangInBuildSection, `${HEAD}%post\n    #!/bin/sh\n    echo\n`)).toEqual([]);
  });
  it('DEF211 moves the shebang to the first line', async () => {
    const text = `${HEAD}%runscript\n\n    #!/bin/bash\n    exec a\n`;
    const [report] = await lintRule(shebangNotFirst, text);
    expect(applyFix(text, report.fix!)).toBe(`${HEAD}%runscript\n    #!/bin/bash\n\n    exec a\n`);
    expect(await lintRule(shebangNotFirst, `${HEAD}%runscript\n    #!/bin/bash\n    exec a\n`)).toEqual([]);
  });
  it('DEF212 adds exec only to a plain last command', async () => {
    const text = `${HEAD}%runscript\n    cd /opt\n    python3 app.py "$@"\n`;
    const [report] = await lintRule(runscriptWithoutExec, text);
    expect(applyFix(text, report.fix!)).toContain('    exec python3 app.py "$@"\n');
    for (const last of ['a | b', 'a && b', 'fi', 'echo done', 'X=1 prog', 'exec prog']) {
      expect(await lintRule(runscriptWithoutExec, `${HEAD}%runscript\n    ${last}\n`), last).toEqual([]);
    }
    expect(await lintRule(runscriptWithoutExec, `${HEAD}%runscript\n    #!/usr/bin/env python3\n    main()\n`)).toEqual([]);
  });
  it('DEF212 finds the last statement on the syntax tree, whatever its layout', async () => {
    // After `;`, with `${X}` or continuation lines (the line-based check gave up on these).
    for (const [body, fixed] of [
      ['cd /opt; python3 ${APP}/main.py "$@"', 'cd /opt; exec python3 ${APP}/main.py "$@"'],
      ['python3 main.py \\\n        --flag "$@"', 'exec python3 main.py \\\n        --flag "$@"'],
      ['[ -n "$X" ] || X=1\n    sudo -E prog "$@" # start', '[ -n "$X" ] || X=1\n    exec sudo -E prog "$@" # start'],
    ]) {
      const text = `${HEAD}%runscript\n    ${body}\n`;
      const reports = await lintRule(runscriptWithoutExec, text);
      expect(reports, body).toHaveLength(1);
      expect(applyFix(text, reports[0].fix!)).toBe(`${HEAD}%runscript\n    ${fixed}\n`);
    }
    for (const body of [
      'if [ -x /a ]; then\n      a "$@"\n    fi',
      'prog "$@" &',
      'prog "$@"\n    cleanup() { :; }',
      'trap "rm -f /tmp/x" EXIT\n    prog "$@"',
      'import sys\n    print(sys.argv)', // not shell (a `#!` line is missing): the tree has syntax errors
    ]) {
      expect(await lintRule(runscriptWithoutExec, `${HEAD}%runscript\n    ${body}\n`), body).toEqual([]);
    }
  });
  it('DEF213 quotes $@ and notices dropped arguments', async () => {
    const text = `${HEAD}%runscript\n    exec tool $@ "$@" '$@'\n`;
    const reports = await lintRule(runscriptDropsArgs, text);
    expect(reports).toHaveLength(1);
    expect(applyFix(text, reports[0].fix!)).toBe(`${HEAD}%runscript\n    exec tool "$@" "$@" '$@'\n`);
    const dropped = await lintRule(runscriptDropsArgs, `${HEAD}%runscript\n    exec tool\n`);
    expect(dropped[0].severity).toBe('info');
    expect(applyFix(`${HEAD}%runscript\n    exec tool\n`, dropped[0].suggestions![0])).toBe(`${HEAD}%runscript\n    exec tool "$@"\n`);
  });
  it('DEF213 reads arguments from the syntax tree', async () => {
    // `$1` in single quotes does not use the arguments (the line-based check took it for a use).
    expect((await lintRule(runscriptDropsArgs, `${HEAD}%runscript\n    echo 'usage: $1'\n    exec tool\n`)).map((r) => r.excerpt)).toEqual(['%runscript']);
    // Uses outside simple commands count: loops, [[ ]], case.
    for (const body of ['for a in "$@"; do echo "$a"; done', '[[ $# -gt 0 ]] && exec tool', 'case "$1" in a) exec tool ;; esac']) {
      expect(await lintRule(runscriptDropsArgs, `${HEAD}%runscript\n    ${body}\n`), body).toEqual([]);
    }
    // An unquoted $@ in a loop list splits; in an assignment or a multi-line string it does not
    // (the line-based check reported both).
    const loop = await lintRule(runscriptDropsArgs, `${HEAD}%runscript\n    for a in $@; do echo "$a"; done\n`);
    expect(loop.map((r) => r.excerpt)).toEqual(['$@']);
    expect(await lintRule(runscriptDropsArgs, `${HEAD}%runscript\n    ARGS=$@\n    exec tool "$ARGS"\n`)).toEqual([]);
    expect(await lintRule(runscriptDropsArgs, `${HEAD}%runscript\n    bash -c "\n      exec tool $@\n    " tool\n`)).toEqual([]);
    // Inside a command substitution, $@ is unquoted again.
    expect((await lintRule(runscriptDropsArgs, `${HEAD}%runscript\n    exec tool "$(printf %s $@)"\n`)).map((r) => r.excerpt)).toEqual(['$@']);
  });
});

describe('presence', () => {
  it('DEF214 checks only the final stage and appends a stub', async () => {
    const text = 'Bootstrap: docker\nFrom: a\nStage: b\n\n%help\n    x\n\nBootstrap: docker\nFrom: a\n';
    const [report] = await lintRule(missingHelp, text);
    expect(report.line).toBe(8);
    const fixed = applyFix(text, report.suggestions![0]);
    expect(await lintRule(missingHelp, fixed)).toEqual([]);
  });
  it('DEF217 deletes an empty section', async () => {
    const text = `${HEAD}%labels\n\n%post\n    echo\n`;
    const [report] = await lintRule(emptySection, text);
    expect(applyFix(text, report.fix!)).toBe(`${HEAD}%post\n    echo\n`);
    expect(await lintRule(emptySection, `${HEAD}%post -c /bin/bash\n`)).toEqual([]);
  });
});
