import { describe, expect, it } from 'vitest';
import { parse } from '../../../../src/parse/index.js';
import { bootstrapPlacement } from '../../../../src/lint/rules/header/bootstrap-placement.js';
import { dialectIncompatible } from '../../../../src/lint/rules/header/dialect-incompatible.js';
import { fromRepeatsScheme } from '../../../../src/lint/rules/header/from-repeats-scheme.js';
import { hashInHeaderValue } from '../../../../src/lint/rules/header/hash-in-header-value.js';
import { keywordNotForAgent } from '../../../../src/lint/rules/header/keyword-not-for-agent.js';
import { missingBootstrap } from '../../../../src/lint/rules/header/missing-bootstrap.js';
import { missingRequiredKeyword } from '../../../../src/lint/rules/header/missing-required-keyword.js';
import { osversionPlaceholder } from '../../../../src/lint/rules/header/osversion-placeholder.js';
import { unknownBootstrapAgent } from '../../../../src/lint/rules/header/unknown-bootstrap-agent.js';
import { applyFix, lintRule } from '../../../helpers/rule-tester.js';

describe('DEF101 / DEF102 bootstrap presence and placement', () => {
  it('keys before Bootstrap are DEF102 (error, with a fix that makes one stage), not DEF101', async () => {
    const text = 'From: alpine:3.19\nBootstrap: docker\n\n%post\n    echo\n';
    expect(await lintRule(missingBootstrap, text)).toEqual([]);
    const [report] = await lintRule(bootstrapPlacement, text);
    expect(report.severity).toBe('error');
    const fixed = applyFix(text, report.fix!);
    expect(fixed).toBe('Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    echo\n');
    const stages = parse(fixed).stages.filter((s) => !s.empty);
    expect(stages).toHaveLength(1);
    expect(stages[0].headerValues).toEqual({ bootstrap: 'docker', from: 'alpine:3.19' });
  });
  it('normalises an indented or spaced Bootstrap line', async () => {
    for (const text of ['  Bootstrap: docker\nFrom: a\n', 'Bootstrap : docker\nFrom: a\n']) {
      const [report] = await lintRule(bootstrapPlacement, text);
      expect(applyFix(text, report.fix!)).toBe('Bootstrap: docker\nFrom: a\n');
    }
  });
  it('flags a would-be stage swallowed into a data section', async () => {
    const [report] = await lintRule(bootstrapPlacement, 'Bootstrap: docker\nFrom: a\nStage: one\n\n%files\n    x /x\nBootstrap : docker\nFrom: b\n');
    expect(report.line).toBe(7);
    expect(report.message).toMatch(/does not start a new stage/);
  });
  it('DEF101 fires for a header without Bootstrap', async () => {
    expect(await lintRule(missingBootstrap, 'From: a\n\n%post\n    echo\n')).toHaveLength(1);
    expect(await lintRule(missingBootstrap, 'Bootstrap: docker\nFrom: a\n')).toEqual([]);
  });
});

describe('DEF103 unknown-bootstrap-agent', () => {
  it('explains case sensitivity and suggests the lowercase agent', async () => {
    const text = 'Bootstrap: Docker\nFrom: a\n';
    const [report] = await lintRule(unknownBootstrapAgent, text);
    expect(report.message).toMatch(/case-sensitive/);
    expect(applyFix(text, report.suggestions![0])).toBe('Bootstrap: docker\nFrom: a\n');
  });
  it('resolves templated values and skips unresolved ones', async () => {
    expect(await lintRule(unknownBootstrapAgent, 'Bootstrap: {{ B }}\nFrom: a\n\n%arguments\n    B=docker\n')).toEqual([]);
    expect(await lintRule(unknownBootstrapAgent, 'Bootstrap: {{ B }}\nFrom: a\n\n%arguments\n    B=dokcer\n')).toHaveLength(1);
    expect(await lintRule(unknownBootstrapAgent, 'Bootstrap: {{ B }}\nFrom: a\n')).toEqual([]);
  });
});

describe('DEF104 missing-required-keyword', () => {
  it('needs From for docker, MirrorURL and OSVersion for debootstrap', async () => {
    expect((await lintRule(missingRequiredKeyword, 'Bootstrap: docker\n')).map((r) => r.message)).toEqual(['`Bootstrap: docker` needs `From:`']);
    expect(await lintRule(missingRequiredKeyword, 'Bootstrap: debootstrap\n')).toHaveLength(2);
    const text = 'Bootstrap: oras\n';
    const [report] = await lintRule(missingRequiredKeyword, text);
    expect(applyFix(text, report.suggestions![0])).toBe('Bootstrap: oras\nFrom: \n');
  });
  it('`From: {{ BASE }}` with an empty %arguments default is a required build argument: a warning, not an error', async () => {
    const text = 'Bootstrap: localimage\nFrom: {{ BASE }}\n\n%arguments\n    BASE=\n';
    const [report] = await lintRule(missingRequiredKeyword, text);
    expect(report.severity).toBe('warning');
    expect(report.message).toBe('`From:` is empty unless `--build-arg BASE=…` is given: `Bootstrap: localimage` needs it');
    expect(await lintRule(missingRequiredKeyword, text.replace('BASE=', 'BASE=/opt/base.sif'))).toEqual([]);
  });
  it('needs an explicit tag for docker-daemon and all-or-none SLE registration', async () => {
    expect((await lintRule(missingRequiredKeyword, 'Bootstrap: docker-daemon\nFrom: ubuntu\n'))[0].excerpt).toBe('ubuntu');
    expect(await lintRule(missingRequiredKeyword, 'Bootstrap: docker-daemon\nFrom: ubuntu:24.04\n')).toEqual([]);
    expect((await lintRule(missingRequiredKeyword, 'Bootstrap: zypper\nProduct: SLES\n'))[0].message).toMatch(/missing: User, Regcode/);
    expect((await lintRule(missingRequiredKeyword, 'Bootstrap: zypper\nProduct: SLES\nUser: u\nRegcode: r\n'))[0].message).toMatch(/OSVersion/);
  });
});

describe('DEF105 keyword-not-for-agent', () => {
  it('flags keys the agent ignores and IncludeCmd, not yum OSVersion (DEF108)', async () => {
    const reports = await lintRule(keywordNotForAgent, 'Bootstrap: docker\nFrom: a\nIncludeCmd: yes\nMirrorURL: http://x\n');
    expect(reports.map((r) => r.excerpt)).toEqual(['IncludeCmd', 'MirrorURL']);
    expect(await lintRule(keywordNotForAgent, 'Bootstrap: yum\nMirrorURL: http://x\nOSVersion: 9\n')).toEqual([]);
    expect(await lintRule(keywordNotForAgent, 'Bootstrap: zypper\nOtherURL0: http://x\n')).toEqual([]);
  });
});

describe('DEF108 osversion-placeholder', () => {
  it('is an error without OSVersion and info when OSVersion is unused by yum', async () => {
    expect((await lintRule(osversionPlaceholder, 'Bootstrap: yum\nMirrorURL: http://x/%{OSVERSION}/\n'))[0].severity).toBe('error');
    expect((await lintRule(osversionPlaceholder, 'Bootstrap: yum\nOSVersion: 9\nMirrorURL: http://x/9/\n'))[0].severity).toBe('info');
    expect(await lintRule(osversionPlaceholder, 'Bootstrap: zypper\nOSVersion: 15.5\nMirrorURL: http://x/15/\n')).toEqual([]);
  });
});

describe('DEF109 hash-in-header-value', () => {
  it('reports a # glued to the value, not a spaced comment', async () => {
    expect((await lintRule(hashInHeaderValue, 'Bootstrap: docker\nFrom: a/b#frag  \n'))[0].excerpt).toBe('#frag');
    expect(await lintRule(hashInHeaderValue, 'Bootstrap: docker # comment\nFrom: a\n')).toEqual([]);
  });
});

describe('DEF110 dialect-incompatible', () => {
  it('is silenced by targets: [apptainer]', async () => {
    const text = 'Bootstrap: buildkit\nFrom: .\nTarget: prod\n';
    expect(await lintRule(dialectIncompatible, text)).toHaveLength(1);
    expect(await lintRule(dialectIncompatible, text, { options: { targets: ['apptainer'] } })).toEqual([]);
  });
});

describe('DEF113 from-repeats-scheme', () => {
  it('removes the repeated scheme, and leaves library:// alone', async () => {
    const text = 'Bootstrap: docker\nFrom: docker://ubuntu:24.04\n';
    const [report] = await lintRule(fromRepeatsScheme, text);
    expect(applyFix(text, report.fix!)).toBe('Bootstrap: docker\nFrom: ubuntu:24.04\n');
    expect(await lintRule(fromRepeatsScheme, 'Bootstrap: library\nFrom: library://alpine:3.19\n')).toEqual([]);
  });
});
