// APPTAINER_LINT_TIMING (src/lint/timing.ts): per-rule times, the table, and no wrapping when off.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../../src/lint/index.js';
import { formatTimingTable, RuleTiming, startRuleTiming, stopRuleTiming, timingRowsFrom } from '../../../src/lint/timing.js';
import { defineRule } from '../../../src/lint/define-rule.js';
import { registerRule, unregisterRule } from '../../../src/lint/registry.js';
import type { RuleListeners } from '../../../src/lint/types.js';
import { registerTestRules, TEST_RULE_META } from './test-rules.js';

/** Each run of DEF994's section listener: which create() call made it, and its `this`. */
const calls: { made: number; self: unknown }[] = [];
let creates = 0;
const probe = defineRule({
  meta: { ...TEST_RULE_META, id: 'DEF994', slug: 'test-timing-probe', defaultSeverity: 'warning', messages: { seen: 'section {{ name }}' } },
  create: (ctx) => {
    const made = creates++;
    const listeners: RuleListeners = {
      section(section) {
        calls.push({ made, self: this });
        ctx.report({ messageId: 'seen', data: { name: section.name }, range: section.nameRange });
      },
    };
    return listeners;
  },
});

let unregister: () => void;
beforeAll(() => {
  unregister = registerTestRules();
  registerRule(probe);
});
afterAll(() => {
  unregister();
  unregisterRule('DEF994');
});
afterEach(() => {
  stopRuleTiming();
  calls.length = 0;
  creates = 0;
});

const TEXT = 'Bootstrap: docker\nFrom: alpine\n\n%post\n    echo a\n%runscript\n    echo b\n';

describe('rule timing', () => {
  it('sums each rule over every file linted while on, with the same findings as when off', async () => {
    const off = await lint(TEXT, { shellcheck: false });
    const timing = startRuleTiming();
    const on = [await lint(TEXT, { shellcheck: false }), await lint(TEXT, { shellcheck: false })];
    stopRuleTiming();
    expect(on[0]).toEqual(off);
    expect(on[1]).toEqual(off);
    const ids = [...timing.totals.keys()].map((rule) => rule.meta.id);
    expect(ids).toContain('DEF994');
    expect(ids).toContain('DEF997');
    for (const ms of timing.totals.values()) expect(ms).toBeGreaterThanOrEqual(0);
    // Behind the timed wrapper each lint still runs the listeners its own create() made, as plain
    // functions (RuleListeners: `this` is undefined).
    expect(calls).toEqual([0, 0, 1, 1, 2, 2].map((made) => ({ made, self: undefined })));
  });

  it('adds nothing when off: the walk calls the listeners create() returned', async () => {
    await lint(TEXT, { shellcheck: false });
    expect(calls).toEqual([0, 0].map((made) => ({ made, self: undefined })));
    const timing = startRuleTiming();
    stopRuleTiming();
    await lint(TEXT, { shellcheck: false });
    expect(timing.totals.size).toBe(0);
  });

  it('charges a crashing create to its rule and still reports the crash', async () => {
    const timing = startRuleTiming();
    const findings = await lint(TEXT, { shellcheck: false, config: { rules: { DEF995: 'error' } } });
    expect(findings.some((f) => f.ruleId === 'DEF995' && f.message.includes('boom'))).toBe(true);
    expect([...timing.totals.keys()].map((rule) => rule.meta.id)).toContain('DEF995');
  });

  it('lists the slowest rules first with their share', () => {
    const timing = new RuleTiming();
    const rule = (id: string) => ({ ...probe, meta: { ...probe.meta, id, slug: `slug-${id}` } });
    timing.totals.set(rule('DEF001'), 30);
    timing.totals.set(rule('DEF002'), 10);
    timing.totals.set(rule('DEF003'), 60);
    const rows = timing.rows(2);
    expect(rows.map((row) => [row.id, row.ms, row.share])).toEqual([
      ['DEF003', 60, 60],
      ['DEF001', 30, 30],
    ]);
    expect(formatTimingTable(rows)).toBe(
      [
        'Rule   | Slug        | Time (ms) | Relative',
        '-------|-------------|----------:|--------:',
        'DEF003 | slug-DEF003 |      60.0 |    60.0%',
        'DEF001 | slug-DEF001 |      30.0 |    30.0%',
        '',
      ].join('\n'),
    );
  });

  it('reads the variable as ESLint reads TIMING', () => {
    expect(timingRowsFrom(undefined)).toBeUndefined();
    expect(timingRowsFrom('')).toBeUndefined();
    expect(timingRowsFrom('0')).toBeUndefined();
    expect(timingRowsFrom('1')).toBe(10);
    expect(timingRowsFrom('yes')).toBe(10);
    expect(timingRowsFrom('25')).toBe(25);
    expect(timingRowsFrom('ALL')).toBe(Number.POSITIVE_INFINITY);
  });
});
