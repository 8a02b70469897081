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
import { applyFix, lintRule } from '../../../helpers/rule-tester.js';

const HEAD = 'Bootstrap: docker\nFrom: alpine:3.19\n\n';
const stage = (name: string, body = '') => `Bootstrap: docker\nFrom: alpine:3.19\nStage: ${name}\n\n${body}`;

describe('apps', () => {
  it('DEF801 fixes the double space', async () => {
    const text = `${HEAD}%apprun  foo\n    exec foo\n`;
    const [report] = await lintRule(appNameMissing, text);
    const fixed = applyFix(text, report.suggestions![0]);
    expect(fixed).toBe(`${HEAD}%apprun foo\n    exec foo\n`);
    expect(parse(fixed).stages[0].appOrder).toEqual(['foo']);
  });
  it('DEF802 flags path characters and colliding variable names', async () => {
    expect((await lintRule(appNameInvalid, `${HEAD}%apprun ../x\n    a\n`))[0].excerpt).toBe('../x');
    const collide = await lintRule(appNameInvalid, `${HEAD}%apprun my-app\n    a\n%apprun my_app\n    b\n`);
    expect(collide.map((r) => r.excerpt)).toEqual(['my_app']);
  });
  it('DEF803 / DEF805 look at the final stage', async () => {
    const text = `${HEAD}%appinstall a\n    make\n%apphelp a\n    help\n`;
    expect(await lintRule(appWithoutRun, text)).toHaveLength(1);
    expect(await lintRule(appMissingHelp, text)).toEqual([]);
    const fixed = applyFix(text, (await lintRule(appWithoutRun, text))[0].suggestions![0]);
    expect(await lintRule(appWithoutRun, fixed)).toEqual([]);
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
  it('DEF851 reports headerless stages', async () => {
    expect((await lintRule(stageWithoutHeader, '%post\n    echo\n'))[0].message).toMatch(/no header/);
    expect(await lintRule(stageWithoutHeader, `${HEAD}%post\n    echo\n`)).toEqual([]);
  });
  it('DEF852 inserts a Stage name on non-final stages only', async () => {
    const text = `${HEAD}%post\n    echo\n\n${HEAD}`;
    const [report] = await lintRule(stageUnnamed, text);
    expect(report.line).toBe(1);
    expect(parse(applyFix(text, report.suggestions![0])).stages[0].name).toBe('stage1');
    expect((await lintRule(stageUnnamed, `${stage('my stage')}${HEAD}`))[0].message).toMatch(/contains spaces/);
  });
  it('DEF853 flags the second use of a name', async () => {
    expect((await lintRule(stageNameDuplicate, `${stage('a')}${stage('a')}`))[0].line).toBe(7);
  });
  it('DEF854 distinguishes unknown, current and later stages, and resolves templates', async () => {
    const text = `${stage('one', '%files from two\n    /a /a\n\n')}${stage('two', '%files from two\n    /a /a\n%files from onr\n    /b /b\n%files from {{ S }}\n    /c /c\n\n%arguments\n    S=one\n')}`;
    const reports = await lintRule(filesFromBadStage, text);
    expect(reports.map((r) => r.message.slice(0, 24))).toEqual(['Stage `two` is declared ', '%files from two names th', 'No stage is named `onr`:']);
    expect(reports[2].suggestions![0].edits[0].text).toBe('one');
  });
  it('DEF855 / DEF856 / DEF857', async () => {
    expect((await lintRule(stageUnused, `${stage('a')}${stage('b')}${HEAD}%files from b\n    /x /x\n`)).map((r) => r.excerpt)).toEqual(['Stage: a']);
    expect(await lintRule(runtimeSectionInIntermediateStage, `${stage('a', '%environment\n    export A=1\n\n')}${HEAD}`)).toHaveLength(1);
    expect((await lintRule(filesFromWholeTree, `${stage('a')}${HEAD}%files from a\n    / /\n    /usr/local /usr/local\n`)).map((r) => r.excerpt)).toEqual([
      '/',
    ]);
  });
});

describe('templating', () => {
  it('DEF901 is cleared by a default or a build arg, and its fix adds the default', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine:{{ TAG }}\n\n%post\n    echo\n';
    const [report] = await lintRule(templateVarUndefined, text);
    expect(report.excerpt).toBe('{{ TAG }}');
    expect(await lintRule(templateVarUndefined, text, { buildArgs: { TAG: '3.19' } })).toEqual([]);
    const fixed = applyFix(text, report.suggestions![0]);
    expect(parse(fixed).stages[0].argumentDefaults).toEqual({ TAG: '' });
  });
  it('DEF901 ignores skipped placeholders; DEF905 grades them', async () => {
    const text = `${HEAD}%post\n    # uses {{ A }}\n    echo "#1 {{ B }}"\n`;
    expect(await lintRule(templateVarUndefined, text)).toEqual([]);
    expect((await lintRule(templateAfterHash, text)).map((r) => r.severity)).toEqual(['info', 'warning']);
  });
  it('DEF902 copies the default from the other stage', async () => {
    const text = `${stage('a', '%arguments\n    V=1\n\n%post\n    echo {{ V }}\n\n')}${HEAD}%post\n    echo {{ V }}\n`;
    expect(await lintRule(templateVarUndefined, text)).toEqual([]);
    const [report] = await lintRule(templateVarOtherStage, text);
    const fixed = applyFix(text, report.suggestions![0]);
    expect(parse(fixed).stages[1].argumentDefaults).toEqual({ V: '1' });
  });
  it('DEF903 deletes unused arguments; DEF904 reports malformed lines', async () => {
    const text = `${HEAD}%arguments\n    USED=1\n    UNUSED=2\n    bad line\n\n%post\n    echo {{ USED }}\n`;
    const [unused] = await lintRule(argumentUnused, text);
    expect(applyFix(text, unused.fix!)).not.toContain('UNUSED');
    expect((await lintRule(argumentMalformed, text))[0].line).toBe(7);
  });
  it('DEF906 strips quotes safely only when no shell script uses the value', async () => {
    const headerOnly = 'Bootstrap: docker\nFrom: {{ B }}\n\n%arguments\n    B="alpine:3.19"\n';
    const [safe] = await lintRule(templateDefaultQuoted, headerOnly);
    expect(applyFix(headerOnly, safe.fix!)).toContain('B=alpine:3.19');
    const [mixed] = await lintRule(templateDefaultQuoted, `${headerOnly}\n%post\n    echo {{ B }}\n`);
    expect(mixed.fix).toBeUndefined();
    expect(mixed.suggestions).toHaveLength(1);
    expect(await lintRule(templateDefaultQuoted, `${HEAD}%arguments\n    M="a b"\n\n%post\n    echo {{ M }}\n`)).toEqual([]);
  });
  it('DEF907 / DEF908 catch look-alike syntax', async () => {
    const reports = await lintRule(templateSyntaxConfusion, `${HEAD}%post\n    echo \${{ A }} {{ B } { C }}\n`);
    expect(reports.map((r) => r.excerpt)).toEqual(['${{ A }}', '{{ B }', '{ C }}']);
    expect(await lintRule(templateSyntaxConfusion, 'Bootstrap: yum\nMirrorURL: http://x/$basearch/\n')).toEqual([]);
    const [invalid] = await lintRule(templateNameInvalid, `${HEAD}%post\n    echo {{ my-var }}\n`);
    expect(invalid.suggestions![0].edits[0].text).toBe('my_var');
  });
});
