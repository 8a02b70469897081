import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint, resolveConfig } from '../../../src/lint/index.js';
import { parse } from '../../../src/parse/index.js';
import { runRuleWalk } from '../../../src/lint/engine.js';
import { defineRule } from '../../../src/lint/define-rule.js';
import { echoRule, registerTestRules } from './test-rules.js';
import type { RuleListeners } from '../../../src/lint/types.js';

let unregister: () => void;
beforeAll(() => {
  unregister = registerTestRules();
});
afterAll(() => unregister());

const ours = (ids: string[]) => (f: { ruleId: string }) => ids.includes(f.ruleId);

describe('engine', () => {
  it('runs enabled rules and sorts findings by position', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine\n\n%post\n    echo a; echo b\n%runscript\n    echo c\n';
    const findings = (await lint(text, { shellcheck: false })).filter(ours(['DEF997']));
    expect(findings.map((f) => `${f.range.start.line}:${f.range.start.column}`)).toEqual(['5:5', '5:13', '7:5']);
    expect(findings[0]).toMatchObject({ ruleId: 'DEF997', slug: 'test-echo', severity: 'warning', message: 'echo used' });
  });

  it('applies configured severities and off, by id or slug', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine\n%post\n    echo a\n';
    const asError = await lint(text, { shellcheck: false, config: { rules: { 'test-echo': 'error' } } });
    expect(asError.find((f) => f.ruleId === 'DEF997')?.severity).toBe('error');
    const off = await lint(text, { shellcheck: false, config: { rules: { DEF997: 'off' } } });
    expect(off.filter(ours(['DEF997']))).toEqual([]);
    const viaOption = await lint(text, { shellcheck: false, rules: { DEF997: 'off' } });
    expect(viaOption.filter(ours(['DEF997']))).toEqual([]);
  });

  it('lets a rule raise its own severity unless the user set one', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine\n';
    expect((await lint(text, { shellcheck: false })).find((f) => f.ruleId === 'DEF996')?.severity).toBe('error');
    const configured = await lint(text, { shellcheck: false, config: { rules: { DEF996: 'style' } } });
    expect(configured.find((f) => f.ruleId === 'DEF996')?.severity).toBe('style');
  });

  it('resolves template values: --build-arg over %arguments, per stage', async () => {
    const text = [
      'Bootstrap: docker',
      'From: {{ IMAGE }}:{{ VERSION }}',
      '',
      '%arguments',
      '    IMAGE=ubuntu',
      '    VERSION=22.04',
      '',
      'Bootstrap: docker',
      'From: {{ IMAGE }}',
      '',
    ].join('\n');
    const messages = async (buildArgs?: Record<string, string>) =>
      (await lint(text, { shellcheck: false, buildArgs })).filter(ours(['DEF996'])).map((f) => f.message);
    expect(await messages()).toEqual(['from=ubuntu:22.04 version=22.04', 'from={{ IMAGE }} version=undefined']);
    expect(await messages({ VERSION: '24.04', IMAGE: 'debian' })).toEqual(['from=debian:24.04 version=24.04', 'from=debian version=24.04']);
    const viaConfig = await lint(text, { shellcheck: false, config: { buildArgs: { VERSION: '20.04' } } });
    expect(viaConfig.find((f) => f.ruleId === 'DEF996')?.message).toBe('from=ubuntu:20.04 version=20.04');
  });

  it('turns a crashing rule into an error finding instead of failing', async () => {
    const findings = await lint('Bootstrap: docker\nFrom: alpine\n', { shellcheck: false, rules: { DEF995: 'warning' } });
    const crash = findings.find((f) => f.ruleId === 'DEF995');
    expect(crash?.severity).toBe('error');
    expect(crash?.message).toContain('boom');
  });

  it('accepts a resolved config and never crashes on odd input', async () => {
    const config = resolveConfig({ extends: 'strict', rules: { 'test-crash': 'off' } });
    for (const text of ['', '\n\n', '%post\n', 'Bootstrap:\n%%%\n', '\uFEFFBootstrap: docker\r\nFrom: x\r\n%post\r\n echo\r\n', 'x'.repeat(5000)]) {
      const findings = await lint(text, { config, shellcheck: false });
      expect(findings.filter((f) => f.message.startsWith('Internal error')).map((f) => f.message)).toEqual([]);
    }
  });
});

const hasShellCheck = (() => {
  try {
    execFileSync('shellcheck', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasShellCheck)('ShellCheck pass', () => {
  const text = 'Bootstrap: docker\nFrom: alpine\n%post\n    echo $1\n    # apptainer-lint ignore=SC2086 -- splitting wanted\n    echo $1\n';
  const sc = (findings: { ruleId: string; suppressed?: unknown; range: { start: { line: number } } }[]) =>
    findings.filter((f) => f.ruleId === 'SC2086').map((f) => `${f.range.start.line}${f.suppressed ? ' suppressed' : ''}`);

  it('reports SC codes at file positions; pragmas, rules and exclude apply to them', async () => {
    expect(sc(await lint(text))).toEqual(['4', '6 suppressed']);
    expect(sc(await lint(text, { config: { rules: { SC2086: 'off' } } }))).toEqual([]);
    expect(sc(await lint(text, { config: { shellcheck: { exclude: ['SC2086'] } } }))).toEqual([]);
    expect(sc(await lint(text, { config: { shellcheck: { severity: 'error' } } }))).toEqual([]);
    expect((await lint(text, { config: { rules: { SC2086: 'error' } } })).find((f) => f.ruleId === 'SC2086')?.severity).toBe('error');
    expect(sc(await lint(text, { shellcheck: false }))).toEqual([]);
    // DEF300 is the ShellCheck pass as a rule: turning it off (by id or slug) turns ShellCheck off.
    expect(sc(await lint(text, { config: { rules: { DEF300: 'off' } } }))).toEqual([]);
    expect(sc(await lint(text, { config: { rules: { shellcheck: 'off' } } }))).toEqual([]);
    // ShellCheck ran, so an SC pragma that matched nothing is unused.
    const unused = await lint(text.replace(/echo \$1\n$/, 'echo "$1"\n'));
    expect(unused.filter((f) => f.ruleId === 'DEF990' && !f.suppressed).map((f) => f.range.start.line)).toEqual([5]);
  });
});

describe('pragma use is local to one run', () => {
  // The pragma scan is cached per parsed file; what a pragma suppressed must not be, or a
  // re-lint of the same parse with another config (the language server does this) goes wrong.
  const text = 'Bootstrap: docker\nFrom: ubuntu:22.04\n%post\n    # apptainer-lint ignore=DEF306\n    apt-get install -y curl\n';
  const unused = (findings: { ruleId: string; suppressed?: unknown }[]) => findings.filter((f) => f.ruleId === 'DEF990' && !f.suppressed).length;

  it('reports DEF990 after a config change turned the suppressed rule off, and not once it is back on', async () => {
    const parsed = parse(text);
    expect(unused(await lint(text, { parsed, shellcheck: false }))).toBe(0);
    expect(unused(await lint(text, { parsed, shellcheck: false, rules: { DEF306: 'off' } }))).toBe(1);
    expect(unused(await lint(text, { parsed, shellcheck: false }))).toBe(0);
  });
});

describe('the walk', () => {
  /** Which listeners a rule is called with, in order, as `listener:line`. */
  function visits(text: string): string[] {
    const seen: string[] = [];
    walkWith(text, () => ({
      chunk: (stage) => void seen.push(`chunk:${stage.range.start.line}${stage.empty ? ' (dropped)' : ''}`),
      stage: (stage) => void seen.push(`stage:${stage.range.start.line}`),
      headerEntry: (entry) => void seen.push(`headerEntry:${entry.range.start.line}`),
      section: (section) => void seen.push(`section:${section.lineRange.start.line}`),
    }));
    return seen;
  }

  function walkWith(text: string, create: () => RuleListeners): void {
    const file = parse(text);
    const rule = defineRule({ meta: { ...echoRule.meta, messages: {} }, create });
    const config = resolveConfig({});
    runRuleWalk(rule, {
      file,
      options: {},
      settings: config.settings,
      scripts: [],
      pragmas: { pragmas: [], problems: [] },
      templateValue: () => undefined,
      resolvedHeader: (stage, key) => stage.headerValues[key],
      report: () => undefined,
    });
  }

  it('calls stage only for the stages Apptainer keeps, and chunk, headerEntry and section for every chunk', () => {
    expect(visits('Bootstrap: docker\nFrom: alpine\n%post\n    true\n%test\n    true\n')).toEqual([
      'chunk:1',
      'stage:1',
      'headerEntry:1',
      'headerEntry:2',
      'section:3',
      'section:5',
    ]);
    // A last header line ending in `\` is dropped, and with it the chunk it stood in.
    expect(visits('Bootstrap: docker\nFrom: alpine\n\nBootstrap: docker \\\n')).toEqual([
      'chunk:1',
      'stage:1',
      'headerEntry:1',
      'headerEntry:2',
      'chunk:4 (dropped)',
      'headerEntry:4',
    ]);
  });

  it('finds listeners however the rule made its listeners object: own, inherited from a class, or left undefined', () => {
    const text = 'Bootstrap: docker\nFrom: alpine\n%post\n    true\n';
    const seen: string[] = [];
    class Listeners implements RuleListeners {
      stage(): void {
        seen.push('class stage');
      }
      section(): void {
        seen.push('class section');
      }
    }
    walkWith(text, () => new Listeners());
    walkWith(text, () => ({ chunk: undefined, file: () => void seen.push('plain file'), suppressions: () => void seen.push('suppressions') }));
    expect(seen).toEqual(['class stage', 'class section', 'plain file']);
  });
});
