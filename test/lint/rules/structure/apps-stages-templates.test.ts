import { describe, expect, it } from 'vitest';
import { appInstallOutsideAppDir } from '../../../../src/lint/rules/apps/app-install-outside-app-dir.js';
import { appMissingHelp } from '../../../../src/lint/rules/apps/app-missing-help.js';
import { appNameInvalid } from '../../../../src/lint/rules/apps/app-name-invalid.js';
import { appNameMissing } from '../../../../src/lint/rules/apps/app-name-missing.js';
import { appWithoutRun } from '../../../../src/lint/rules/apps/app-without-run.js';
import { filesFromBadStage } from '../../../../src/lint/rules/multistage/files-from-bad-stage.js';
import { filesFromWholeTree } from '../../../../src/lint/rules/multistage/files-from-whole-tree.js';
import { runtimeSectionInIntermediateStage } from '../../../../src/lint/rules/multistage/runtime-section-in-intermediate-stage.js';
import { stageNameDuplicate } from '../../../../src/lint/rules/multistage/stage-name-duplicate.js';
import { stageUnnamed } from '../../../../src/lint/rules/multistage/stage-unnamed.js';
import { stageUnused } from '../../../../src/lint/rules/multistage/stage-unused.js';
import { stageWithoutHeader } from '../../../../src/lint/rules/multistage/stage-without-header.js';
import { argumentMalformed } from '../../../../src/lint/rules/templating/argument-malformed.js';
import { argumentUnused } from '../../../../src/lint/rules/templating/argument-unused.js';
import { templateAfterHash } from '../../../../src/lint/rules/templating/template-after-hash.js';
import { templateDefaultQuoted } from '../../../../src/lint/rules/templating/template-default-quoted.js';
import { templateNameInvalid } from '../../../../src/lint/rules/templating/template-name-invalid.js';
import { templateSyntaxConfusion } from '../../../../src/lint/rules/templating/template-syntax-confusion.js';
import { templateVarOtherStage } from '../../../../src/lint/rules/templating/template-var-other-stage.js';
import { templateVarUndefined } from '../../../../src/lint/rules/templating/template-var-undefined.js';
import { parse } from '../../../../src/parse/index.js';
import { applyFix, lintRule, runRule } from './harness.js';

const HEAD = 'Bootstrap: docker\nFrom: alpine:3.19\n\n';
const stage = (name: string, body = '') => `Bootstrap: docker\nFrom: alpine:3.19\nStage: ${name}\n\n${body}`;

describe('apps', () => {
  it('DEF801 fixes the double space', () => {
    const text = `${HEAD}%apprun  foo\n    exec foo\n`;
    const [report] = runRule(appNameMissing, text);
    const fixed = applyFix(text, report.suggestions![0]);
    expect(fixed).toBe(`${HEAD}%apprun foo\n    exec foo\n`);
    expect(parse(fixed).stages[0].appOrder).toEqual(['foo']);
  });
  it('DEF802 flags path characters and colliding variable names', () => {
    expect(runRule(appNameInvalid, `${HEAD}%apprun ../x\n    a\n`)[0].excerpt).toBe('../x');
    const collide = runRule(appNameInvalid, `${HEAD}%apprun my-app\n    a\n%apprun my_app\n    b\n`);
    expect(collide.map((r) => r.excerpt)).toEqual(['my_app']);
  });
  it('DEF803 / DEF805 look at the final stage', () => {
    const text = `${HEAD}%appinstall a\n    make\n%apphelp a\n    help\n`;
    expect(runRule(appWithoutRun, text)).toHaveLength(1);
    expect(runRule(appMissingHelp, text)).toEqual([]);
    const fixed = applyFix(text, runRule(appWithoutRun, text)[0].suggestions![0]);
    expect(runRule(appWithoutRun, fixed)).toEqual([]);
  });
  it('DEF804 allows the app directory and $SCIF_APPROOT', async () => {
    const reports = await lintRule(
      appInstallOutsideAppDir,
      `${HEAD}%appinstall a\n    cp x /scif/apps/a/bin/\n    cp y $SCIF_APPROOT/bin\n    ./configure --prefix=/usr/local\n    echo x > /etc/a.conf\n`,
    );
    expect(reports.map((r) => r.excerpt)).toEqual(['/usr/local', '/etc/a.conf']);
  });
  it('DEF804 reads commands from the syntax tree', async () => {
    // `>` inside a string is not a redirect (the line-based check reported `/etc/b"`).
    expect(await lintRule(appInstallOutsideAppDir, `${HEAD}%appinstall a\n    echo "a > /etc/b"\n`)).toEqual([]);
    // Quoted prefixes, wrappers, `PREFIX=` assignments, redirects after `&&` (missed by the line-based check).
    const text = `${HEAD}%appinstall a\n    ./configure --prefix="/opt/q"\n    sudo mkdir -p /srv/w\n    PREFIX=/usr make install\n    export PREFIX=/opt/e\n    make && make install > /var/log/x\n`;
    expect((await lintRule(appInstallOutsideAppDir, text)).map((r) => r.excerpt)).toEqual(['/opt/q', '/srv/w', '/usr', '/opt/e', '/var/log/x']);
  });
});

describe('multi-stage', () => {
  it('DEF851 reports headerless stages', () => {
    expect(runRule(stageWithoutHeader, '%post\n    echo\n')[0].message).toMatch(/no header/);
    expect(runRule(stageWithoutHeader, `${HEAD}%post\n    echo\n`)).toEqual([]);
  });
  it('DEF852 inserts a Stage name on non-final stages only', () => {
    const text = `${HEAD}%post\n    echo\n\n${HEAD}`;
    const [report] = runRule(stageUnnamed, text);
    expect(report.line).toBe(1);
    expect(parse(applyFix(text, report.suggestions![0])).stages[0].name).toBe('stage1');
    expect(runRule(stageUnnamed, `${stage('my stage')}${HEAD}`)[0].message).toMatch(/contains spaces/);
  });
  it('DEF853 flags the second use of a name', () => {
    expect(runRule(stageNameDuplicate, `${stage('a')}${stage('a')}`)[0].line).toBe(7);
  });
  it('DEF854 distinguishes unknown, current and later stages, and resolves templates', () => {
    const text = `${stage('one', '%files from two\n    /a /a\n\n')}${stage('two', '%files from two\n    /a /a\n%files from onr\n    /b /b\n%files from {{ S }}\n    /c /c\n\n%arguments\n    S=one\n')}`;
    const reports = runRule(filesFromBadStage, text);
    expect(reports.map((r) => r.message.slice(0, 24))).toEqual(['Stage `two` is declared ', '%files from two names th', 'No stage is named `onr`:']);
    expect(reports[2].suggestions![0].edits[0].text).toBe('one');
  });
  it('DEF855 / DEF856 / DEF857', () => {
    expect(runRule(stageUnused, `${stage('a')}${stage('b')}${HEAD}%files from b\n    /x /x\n`).map((r) => r.excerpt)).toEqual(['Stage: a']);
    expect(runRule(runtimeSectionInIntermediateStage, `${stage('a', '%environment\n    export A=1\n\n')}${HEAD}`)).toHaveLength(1);
    expect(runRule(filesFromWholeTree, `${stage('a')}${HEAD}%files from a\n    / /\n    /usr/local /usr/local\n`).map((r) => r.excerpt)).toEqual(['/']);
  });
});

describe('templating', () => {
  it('DEF901 is cleared by a default or a build arg, and its fix adds the default', () => {
    const text = 'Bootstrap: docker\nFrom: alpine:{{ TAG }}\n\n%post\n    echo\n';
    const [report] = runRule(templateVarUndefined, text);
    expect(report.excerpt).toBe('{{ TAG }}');
    expect(runRule(templateVarUndefined, text, { settings: { buildArgs: { TAG: '3.19' } } })).toEqual([]);
    const fixed = applyFix(text, report.suggestions![0]);
    expect(parse(fixed).stages[0].argumentDefaults).toEqual({ TAG: '' });
  });
  it('DEF901 ignores skipped placeholders; DEF905 grades them', () => {
    const text = `${HEAD}%post\n    # uses {{ A }}\n    echo "#1 {{ B }}"\n`;
    expect(runRule(templateVarUndefined, text)).toEqual([]);
    expect(runRule(templateAfterHash, text).map((r) => r.effectiveSeverity)).toEqual(['info', 'warning']);
  });
  it('DEF902 copies the default from the other stage', () => {
    const text = `${stage('a', '%arguments\n    V=1\n\n%post\n    echo {{ V }}\n\n')}${HEAD}%post\n    echo {{ V }}\n`;
    expect(runRule(templateVarUndefined, text)).toEqual([]);
    const [report] = runRule(templateVarOtherStage, text);
    const fixed = applyFix(text, report.suggestions![0]);
    expect(parse(fixed).stages[1].argumentDefaults).toEqual({ V: '1' });
  });
  it('DEF903 deletes unused arguments; DEF904 reports malformed lines', () => {
    const text = `${HEAD}%arguments\n    USED=1\n    UNUSED=2\n    bad line\n\n%post\n    echo {{ USED }}\n`;
    const [unused] = runRule(argumentUnused, text);
    expect(applyFix(text, unused.fix!)).not.toContain('UNUSED');
    expect(runRule(argumentMalformed, text)[0].line).toBe(7);
  });
  it('DEF906 strips quotes safely only when no shell script uses the value', () => {
    const headerOnly = 'Bootstrap: docker\nFrom: {{ B }}\n\n%arguments\n    B="alpine:3.19"\n';
    const [safe] = runRule(templateDefaultQuoted, headerOnly);
    expect(applyFix(headerOnly, safe.fix!)).toContain('B=alpine:3.19');
    const [mixed] = runRule(templateDefaultQuoted, `${headerOnly}\n%post\n    echo {{ B }}\n`);
    expect(mixed.fix).toBeUndefined();
    expect(mixed.suggestions).toHaveLength(1);
    expect(runRule(templateDefaultQuoted, `${HEAD}%arguments\n    M="a b"\n\n%post\n    echo {{ M }}\n`)).toEqual([]);
  });
  it('DEF907 / DEF908 catch look-alike syntax', () => {
    const reports = runRule(templateSyntaxConfusion, `${HEAD}%post\n    echo \${{ A }} {{ B } { C }}\n`);
    expect(reports.map((r) => r.excerpt)).toEqual(['${{ A }}', '{{ B }', '{ C }}']);
    expect(runRule(templateSyntaxConfusion, 'Bootstrap: yum\nMirrorURL: http://x/$basearch/\n')).toEqual([]);
    const [invalid] = runRule(templateNameInvalid, `${HEAD}%post\n    echo {{ my-var }}\n`);
    expect(invalid.suggestions![0].edits[0].text).toBe('my_var');
  });
});
