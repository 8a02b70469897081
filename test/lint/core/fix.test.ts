import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFixes, fix, type Finding } from '../../../src/lint/index.js';
import { parse } from '../../../src/parse/index.js';
import { unifiedDiff } from '../../../src/report/diff.js';
import { registerTestRules } from './test-rules.js';

let unregister: () => void;
beforeAll(() => {
  unregister = registerTestRules();
});
afterAll(() => unregister());

function finding(start: number, end: number, text: string, extra: Partial<Finding> = {}): Finding {
  const position = { offset: start, line: 1, column: start + 1, character: start };
  return {
    ruleId: 'DEF997',
    slug: 'test-echo',
    severity: 'warning',
    message: 'm',
    range: { start: position, end: position },
    fix: { description: 'd', edits: [{ start, end, text }] },
    ...extra,
  };
}

describe('applyFixes', () => {
  it('applies non-overlapping fixes and skips conflicting, suppressed and out-of-range ones', () => {
    const text = 'abcdefghij';
    const result = applyFixes(text, [
      finding(0, 2, 'XY'),
      finding(1, 3, 'no'), // overlaps the first
      finding(5, 5, '+'),
      finding(5, 5, '-'), // same insertion point: ambiguous order, skipped
      finding(6, 7, '', { suppressed: { kind: 'inSource' } }),
      finding(8, 99, 'bad'),
      { ...finding(9, 10, 'Z'), fix: undefined },
    ]);
    expect(result.output).toBe('XYcde+fghij');
    expect(result.applied).toHaveLength(2);
  });

  it('never changes text outside the edited ranges (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.array(fc.tuple(fc.nat(60), fc.nat(5), fc.string({ maxLength: 4 })), { maxLength: 6 }), (text, raw) => {
        const findings = raw.map(([start, length, insert]) => finding(Math.min(start, text.length), Math.min(start + length, text.length), insert));
        const { output, applied } = applyFixes(text, findings);
        // Rebuild the expected output from the applied edits alone.
        const edits = applied.map((f) => f.fix!.edits[0]).sort((a, b) => a.start - b.start || a.end - b.end);
        let expected = '';
        let cursor = 0;
        for (const edit of edits) {
          expect(edit.start).toBeGreaterThanOrEqual(cursor);
          expected += text.slice(cursor, edit.start) + edit.text;
          cursor = edit.end;
        }
        expect(output).toBe(expected + text.slice(cursor));
      }),
    );
  });
});

describe('fix loop', () => {
  it('fixes until stable, and a second run changes nothing', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine\n%post\n    echo a; echo b\n    # apptainer-lint ignore=DEF997\n    echo kept\n';
    const first = await fix(text, { shellcheck: false });
    expect(first.output).toBe('Bootstrap: docker\nFrom: alpine\n%post\n    printf a; printf b\n    # apptainer-lint ignore=DEF997\n    echo kept\n');
    expect(first.findings.filter((f) => f.ruleId === 'DEF997' && !f.suppressed)).toEqual([]);
    const second = await fix(first.output, { shellcheck: false });
    expect(second.output).toBe(first.output);
    expect(second.passes).toBe(0);
    expect(parse(first.output).stages[0].sections.map((s) => s.name)).toEqual(['post']);
  });
});

describe('unifiedDiff', () => {
  it('prints hunks with context and line numbers', () => {
    const before = [...'abcdefghijklmnop', ''].join('\n');
    const after = before.replace('b\n', 'B\n').replace('o\n', '');
    expect(unifiedDiff(before, after, 'a/x', 'b/x')).toBe(
      ['--- a/x', '+++ b/x', '@@ -1,5 +1,5 @@', ' a', '-b', '+B', ' c', ' d', ' e', '@@ -12,5 +12,4 @@', ' l', ' m', ' n', '-o', ' p', ''].join('\n'),
    );
    // Changes closer than twice the context share one hunk.
    expect(unifiedDiff(before, before.replace('b\n', 'B\n').replace('h\n', 'H\n'), 'a', 'b').match(/^@@/gm)).toHaveLength(1);
    expect(unifiedDiff('same\n', 'same\n', 'a', 'b')).toBe('');
    expect(unifiedDiff('x', 'x\n', 'a', 'b')).toBe('--- a\n+++ b\n@@ -1,1 +1,1 @@\n-x\n\\ No newline at end of file\n+x\n');
  });
});
