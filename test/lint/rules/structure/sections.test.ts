import { lint } from '../../../../src/lint/index.js';
import { describe, expect, it } from 'vitest';
import { parse } from '../../../../src/parse/index.js';
import { filesDestInBoundDir, filesExtraFields, labelEmptyOrDuplicate, labelSchema, labelsSeparator } from '../../../../src/lint/rules/sections/files-labels.js';
import { environmentPosix, environmentVarUsedAtBuild, environmentWithoutExport, postExportLost } from '../../../../src/lint/rules/sections/environment.js';
import { runscriptDropsArgs, runscriptWithoutExec, setupTouchesHost, shebangInBuildSection, shebangNotFirst } from '../../../../src/lint/rules/sections/scripts.js';
import { emptySection, missingHelp } from '../../../../src/lint/rules/sections/presence.js';
import { applyFix, runRule } from './harness.js';

const HEAD = 'Bootstrap: docker\nFrom: alpine:3.19\n\n';

describe('%files', () => {
  it('DEF201 splits extra sources into one line each', () => {
    const text = `${HEAD}%files\n    a b c /opt/\n`;
    const [report] = runRule(filesExtraFields, text);
    expect(report.excerpt).toBe('c /opt/');
    expect(applyFix(text, report.suggestions![0])).toBe(`${HEAD}%files\n    a /opt/\n    b /opt/\n    c /opt/\n`);
  });
  it('DEF201 reports an inline comment used as destination, not a trailing one', () => {
    expect(runRule(filesExtraFields, `${HEAD}%files\n    a # note\n`)[0].message).toMatch(/file named `#`/);
    expect(runRule(filesExtraFields, `${HEAD}%files\n    a /a # note\n`)).toEqual([]);
  });
  it('DEF202 checks explicit and implied destinations', () => {
    const reports = runRule(filesDestInBoundDir, `${HEAD}%files\n    x /tmp/x\n    tmp/y\n    z /opt/z\n    h $HOME/h\n`);
    expect(reports.map((r) => r.excerpt)).toEqual(['/tmp/x', 'tmp/y', '$HOME/h']);
    const text = `${HEAD}%files\n    x /var/tmp/x\n`;
    const [report] = runRule(filesDestInBoundDir, text);
    expect(applyFix(text, report.suggestions![0])).toBe(`${HEAD}%files\n    x /opt/x\n`);
  });
});

describe('%labels', () => {
  it('DEF203 fixes = and : separators and tabs', () => {
    const text = `${HEAD}%labels\n    Author=me\n    Version: 1.0\n    Tab\tx\n`;
    const reports = runRule(labelsSeparator, text);
    expect(reports).toHaveLength(3);
    let fixed = text;
    for (const report of [...reports].reverse()) fixed = applyFix(fixed, report.fix!);
    expect(fixed).toBe(`${HEAD}%labels\n    Author me\n    Version 1.0\n    Tab x\n`);
    expect(parse(fixed).stages[0].sections[0].labels!.map((l) => [l.key, l.value])).toEqual([['Author', 'me'], ['Version', '1.0'], ['Tab', 'x']]);
  });
  it('DEF203 drops the quotes of a Docker-style value', () => {
    const text = `${HEAD}%labels\n    maintainer="Jane Doe"\n`;
    const [report] = runRule(labelsSeparator, text);
    const fixed = applyFix(text, report.fix!);
    expect(fixed).toBe(`${HEAD}%labels\n    maintainer Jane Doe\n`);
    expect(parse(fixed).stages[0].sections[0].labels![0]).toMatchObject({ key: 'maintainer', value: 'Jane Doe' });
  });
  it('DEF204 reports empty and duplicate labels, per app for %applabels', () => {
    const reports = runRule(labelEmptyOrDuplicate, `${HEAD}%labels\n    A 1\n    B\n    A 2\n%applabels x\n    A 1\n%applabels y\n    A 1\n`);
    expect(reports.map((r) => [r.line, r.message.slice(0, 12)])).toEqual([[6, 'Label `B` ha'], [7, 'Label `A` is']]);
  });
  it('DEF216 checks required labels from settings and options', () => {
    const text = `${HEAD}%labels\n    Version 1\n`;
    expect(runRule(labelSchema, text)).toEqual([]);
    expect(runRule(labelSchema, text, { settings: { requiredLabels: ['Maintainer'] } })[0].message).toMatch(/Maintainer/);
    expect(runRule(labelSchema, text, { options: { required: ['Version'] } })).toEqual([]);
    expect(runRule(labelSchema, text, { settings: { labelSchema: { Version: 'semver' } } })[0].excerpt).toBe('1');
  });
});

describe('%environment', () => {
  it('DEF205 reports bash-only syntax on the shell syntax tree, not inside quotes', async () => {
    const text = `${HEAD}%environment\n    if [[ -d /x ]]; then export A=1; fi\n    export B="a=("\n    arr=(a b)\n    f() { :; }\n    module load gcc\n`;
    const findings = await lint(text, { shellcheck: false, config: { extends: 'recommended', rules: { DEF205: 'warning' } } });
    const lines = findings.filter((f) => f.ruleId === environmentPosix.meta.id).map((f) => f.range.start.line);
    expect(lines).toEqual([5, 7, 8, 9]);
  });
  it('DEF206 adds export, and skips exported, ambient, lowercase and one-command assignments', () => {
    const text = `${HEAD}%environment\n    FOO=1\n    BAR=2\n    export BAR\n    PATH=/x:$PATH\n    tmp=3\n    LANG=C locale\n`;
    const reports = runRule(environmentWithoutExport, text);
    expect(reports.map((r) => r.excerpt)).toEqual(['FOO']);
    expect(applyFix(text, reports[0].fix!)).toContain('    export FOO=1\n');
    expect(runRule(environmentWithoutExport, `${HEAD}%environment\n    set -a\n    FOO=1\n`)).toEqual([]);
  });
  it('DEF207 reports %environment variables read in %post unless %post sets them', () => {
    const env = `${HEAD}%environment\n    export APP=/opt/app\n\n`;
    expect(runRule(environmentVarUsedAtBuild, `${env}%post\n    mkdir -p "\${APP}/bin"\n`)[0].excerpt).toBe('${APP');
    expect(runRule(environmentVarUsedAtBuild, `${env}%post\n    APP=/opt/app\n    mkdir $APP\n`)).toEqual([]);
    expect(runRule(environmentVarUsedAtBuild, `${env}%post\n    echo '$APP'\n`)).toEqual([]);
  });
  it('DEF208 reports a %post export read by the runscript', () => {
    const text = `${HEAD}%post\n    export DATA=/d\n\n%runscript\n    exec ls $DATA\n`;
    expect(runRule(postExportLost, text)).toHaveLength(1);
    expect(runRule(postExportLost, text.replace('    export DATA=/d\n', '    export DATA=/d\n    echo "export DATA=/d" >> $APPTAINER_ENVIRONMENT\n'))).toEqual([]);
  });
});

describe('scripts', () => {
  it('DEF209 warns on host writes and errors on recursive removal / package installs', () => {
    const reports = runRule(setupTouchesHost, `${HEAD}%setup\n    mkdir -p /opt/x\n    cp a.txt \${APPTAINER_ROOTFS}/opt/\n    rm -rf /var/cache/x\n    apt-get install -y gcc\n    echo hi > /etc/motd\n`);
    expect(reports.map((r) => [r.excerpt, r.effectiveSeverity])).toEqual([
      ['/opt/x', 'warning'], ['/var/cache/x', 'error'], ['apt-get', 'error'], ['/etc/motd', 'warning'],
    ]);
  });
  it('DEF210 moves a bash shebang into the section arguments', () => {
    const text = `${HEAD}%post\n    #!/bin/bash\n    echo\n`;
    const [report] = runRule(shebangInBuildSection, text);
    const fixed = applyFix(text, report.suggestions![0]);
    expect(fixed).toBe(`${HEAD}%post -c /bin/bash -e\n    echo\n`);
    expect(parse(fixed).stages[0].sections[0].shell?.commandLine ?? '').toContain('/bin/bash -e');
    expect(runRule(shebangInBuildSection, `${HEAD}%post\n    #!/bin/sh\n    echo\n`)).toEqual([]);
  });
  it('DEF211 moves the shebang to the first line', () => {
    const text = `${HEAD}%runscript\n\n    #!/bin/bash\n    exec a\n`;
    const [report] = runRule(shebangNotFirst, text);
    expect(applyFix(text, report.fix!)).toBe(`${HEAD}%runscript\n    #!/bin/bash\n\n    exec a\n`);
    expect(runRule(shebangNotFirst, `${HEAD}%runscript\n    #!/bin/bash\n    exec a\n`)).toEqual([]);
  });
  it('DEF212 adds exec only to a plain last command', () => {
    const text = `${HEAD}%runscript\n    cd /opt\n    python3 app.py "$@"\n`;
    const [report] = runRule(runscriptWithoutExec, text);
    expect(applyFix(text, report.fix!)).toContain('    exec python3 app.py "$@"\n');
    for (const last of ['a | b', 'a && b', 'fi', 'echo done', 'X=1 prog', 'exec prog']) {
      expect(runRule(runscriptWithoutExec, `${HEAD}%runscript\n    ${last}\n`), last).toEqual([]);
    }
    expect(runRule(runscriptWithoutExec, `${HEAD}%runscript\n    #!/usr/bin/env python3\n    main()\n`)).toEqual([]);
  });
  it('DEF213 quotes $@ and notices dropped arguments', () => {
    const text = `${HEAD}%runscript\n    exec tool $@ "$@" '$@'\n`;
    const reports = runRule(runscriptDropsArgs, text);
    expect(reports).toHaveLength(1);
    expect(applyFix(text, reports[0].fix!)).toBe(`${HEAD}%runscript\n    exec tool "$@" "$@" '$@'\n`);
    const dropped = runRule(runscriptDropsArgs, `${HEAD}%runscript\n    exec tool\n`);
    expect(dropped[0].effectiveSeverity).toBe('info');
    expect(applyFix(`${HEAD}%runscript\n    exec tool\n`, dropped[0].suggestions![0])).toBe(`${HEAD}%runscript\n    exec tool "$@"\n`);
  });
});

describe('presence', () => {
  it('DEF214 checks only the final stage and appends a stub', () => {
    const text = 'Bootstrap: docker\nFrom: a\nStage: b\n\n%help\n    x\n\nBootstrap: docker\nFrom: a\n';
    const [report] = runRule(missingHelp, text);
    expect(report.line).toBe(8);
    const fixed = applyFix(text, report.suggestions![0]);
    expect(runRule(missingHelp, fixed)).toEqual([]);
  });
  it('DEF217 deletes an empty section', () => {
    const text = `${HEAD}%labels\n\n%post\n    echo\n`;
    const [report] = runRule(emptySection, text);
    expect(applyFix(text, report.fix!)).toBe(`${HEAD}%post\n    echo\n`);
    expect(runRule(emptySection, `${HEAD}%post -c /bin/bash\n`)).toEqual([]);
  });
});
