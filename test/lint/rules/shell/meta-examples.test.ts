// Every rule of the shell, reproducibility, security and size families fires on its `bad`
// example, stays quiet on its `good` one, and its safe fix (if any) makes the finding go away.
import { describe, expect, test } from 'vitest';
import { allRules } from '../../../../src/lint/rules/index.js';
import { applyEdits, runRule } from './harness.js';

const inGroup = (group: string) => allRules.filter((rule) => rule.meta.group === group);
const shell = inGroup('shell');
const reproducibility = inGroup('reproducibility');
const security = inGroup('security');
const size = inGroup('size');

// DEF300 (the ShellCheck pass) is run by the engine, not by the rule: see shellcheck.test.ts.
const all = [...shell, ...reproducibility, ...security, ...size].filter((rule) => rule.meta.id !== 'DEF300');
const settings = { trustedRegistries: ['docker.io', 'ghcr.io'] };

describe.each(all.map((r) => [r.meta.id, r] as const))('%s', (_id, rule) => {
  test('meta is complete', () => {
    const m = rule.meta;
    expect(m.id).toMatch(/^DEF[3-6]\d\d$/);
    expect(m.slug).toMatch(/^[a-z0-9-]+$/);
    expect(m.summary.length).toBeGreaterThan(10);
    expect(m.description.length).toBeGreaterThan(40);
    expect(m.source.length).toBeGreaterThan(2);
    expect(m.bad).not.toEqual(m.good);
  });
  test('fires on bad', async () => {
    const findings = await runRule(rule, rule.meta.bad, { settings });
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f.range.start.offset).toBeLessThanOrEqual(f.range.end.offset);
  });
  test('quiet on good', async () => {
    expect(await runRule(rule, rule.meta.good, { settings })).toEqual([]);
  });
  test('safe fix removes the finding', async () => {
    const findings = await runRule(rule, rule.meta.bad, { settings });
    const fix = findings.find((f) => f.fix)?.fix;
    if (rule.meta.fixKind !== 'safe' || !fix) return;
    const fixed = applyEdits(rule.meta.bad, fix.edits);
    const after = await runRule(rule, fixed, { settings });
    expect(after.length).toBeLessThan(findings.length);
  });
});
