// The generic rule test: every rule's metadata is complete, its `bad` example triggers it (by a
// message id of `meta.messages`), its safe fix (if it has one) applies and removes a finding, and
// its `good` example does not trigger it. Optional extra fixtures: fixtures/lint/<ID>/bad*.def and good*.def.
// Rules that act only on settings (trustedRegistries, requiredLabels, labelSchema...) put them in
// fixtures/lint/<ID>/.apptainer-lint.yaml; it applies to the meta examples and the fixtures.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules, applyFixes, lint, parseConfigText, type LintConfig, type Rule, type SeveritySetting } from '../../src/lint/index.js';

const ID_FORMAT = /^DEF\d{3}$/;
const SLUG_FORMAT = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const GROUPS = ['syntax', 'header', 'sections', 'shell', 'reproducibility', 'security', 'size', 'mpi', 'gpu', 'apps', 'multistage', 'templating', 'pragmas'];
const SEVERITIES: SeveritySetting[] = ['error', 'warning', 'info', 'style', 'off'];
const FIXTURES = join(import.meta.dirname, '../../fixtures/lint');

async function fixtureConfig(id: string): Promise<LintConfig> {
  const path = join(FIXTURES, id, '.apptainer-lint.yaml');
  return existsSync(path) ? parseConfigText(readFileSync(path, 'utf8'), path) : {};
}

/** DEF300 stands for the ShellCheck pass: its findings carry ShellCheck's own codes. */
const isShellCheckPass = (rule: Rule) => rule.meta.id === 'DEF300';

/** Lints with the recommended preset (or the fixture config) plus the rule under test switched on. */
async function findingsOf(rule: Rule, text: string, filename: string) {
  const severity = rule.meta.defaultSeverity === 'off' ? 'warning' : rule.meta.defaultSeverity;
  const base = await fixtureConfig(rule.meta.id);
  const findings = await lint(text, {
    filename,
    shellcheck: isShellCheckPass(rule),
    config: { ...base, extends: base.extends ?? 'recommended', rules: { ...base.rules, [rule.meta.id]: severity } },
  });
  const crashes = findings.filter((f) => f.message.startsWith('Internal error in rule'));
  expect(crashes, `rules crashed on ${filename}`).toEqual([]);
  const own = (f: { ruleId: string }) => (isShellCheckPass(rule) ? /^SC\d+$/.test(f.ruleId) : f.ruleId === rule.meta.id);
  return findings.filter((f) => own(f) && !f.suppressed);
}

function describeFinding(f: { ruleId: string; message: string; range: { start: { line: number; column: number } } }) {
  return `${f.range.start.line}:${f.range.start.column} ${f.ruleId} ${f.message}`;
}

describe('rule registry', () => {
  it('has the pragma rules and unique ids and slugs', () => {
    const ids = allRules.map((rule) => rule.meta.id);
    const slugs = allRules.map((rule) => rule.meta.slug);
    expect(ids).toEqual(expect.arrayContaining(['DEF990', 'DEF991', 'DEF992']));
    expect(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      'duplicate ids',
    ).toEqual([]);
    expect(
      slugs.filter((slug, i) => slugs.indexOf(slug) !== i),
      'duplicate slugs',
    ).toEqual([]);
  });
});

describe.each(allRules.map((rule) => [rule.meta.id, rule] as const))('rule %s', (id, rule) => {
  const { meta } = rule;

  it('has complete metadata', () => {
    expect(meta.id).toMatch(ID_FORMAT);
    expect(meta.slug).toMatch(SLUG_FORMAT);
    expect(GROUPS).toContain(meta.group);
    expect(SEVERITIES).toContain(meta.defaultSeverity);
    expect(Array.isArray(meta.presets)).toBe(true);
    for (const field of ['summary', 'description', 'bad', 'good', 'source'] as const) {
      expect(typeof meta[field], `${id}.${field}`).toBe('string');
      expect(meta[field].trim().length, `${id}.${field} is empty`).toBeGreaterThan(0);
    }
    expect(meta.summary.includes('\n'), `${id}.summary must be one line`).toBe(false);
    expect(meta.bad, `${id}: bad and good examples are identical`).not.toBe(meta.good);
    expect(typeof rule.create).toBe('function');
  });

  it('flags its bad example', async () => {
    const findings = await findingsOf(rule, meta.bad, `${id}-bad.def`);
    expect(findings.length, `${id} did not fire on meta.bad:\n${meta.bad}`).toBeGreaterThan(0);
  });

  it.runIf(meta.fixKind === 'safe')('its safe fix applies to the bad example and removes a finding', async () => {
    const findings = await findingsOf(rule, meta.bad, `${id}-bad.def`);
    const fixable = findings.filter((f) => f.fix);
    expect(fixable.length, `${id} is fixKind 'safe' but offers no fix on meta.bad`).toBeGreaterThan(0);
    const { output } = applyFixes(meta.bad, fixable);
    expect(output).not.toBe(meta.bad);
    const after = await findingsOf(rule, output, `${id}-fixed.def`);
    expect(after.length, `${id}: the fix left every finding in place:\n${output}`).toBeLessThan(findings.length);
  });

  it('reports with message ids from meta.messages', async () => {
    if (isShellCheckPass(rule)) return expect(meta.messages).toEqual({});
    expect(Object.keys(meta.messages).length, `${id} has no messages`).toBeGreaterThan(0);
    const findings = await findingsOf(rule, meta.bad, `${id}-bad.def`);
    for (const f of findings) expect(Object.keys(meta.messages)).toContain(f.messageId);
  });

  it('accepts its good example', async () => {
    const findings = await findingsOf(rule, meta.good, `${id}-good.def`);
    expect(findings.map(describeFinding), `${id} fired on meta.good:\n${meta.good}`).toEqual([]);
  });

  const folder = join(FIXTURES, id);
  const files = existsSync(folder) ? readdirSync(folder).filter((name) => /^(bad|good).*\.def$/.test(name)) : [];
  for (const name of files) {
    it(`fixture ${name}`, async () => {
      const findings = await findingsOf(rule, readFileSync(join(folder, name), 'utf8'), join(folder, name));
      if (name.startsWith('bad')) expect(findings.length, `${id} did not fire on ${name}`).toBeGreaterThan(0);
      else expect(findings.map(describeFinding), `${id} fired on ${name}`).toEqual([]);
    });
  }
});
