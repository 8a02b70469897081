import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFixes, fix, type Finding } from '../../../src/lint/index.js';
import { fixUntilStable } from '../../../src/lint/fix.js';
import { mapOffset } from '../../../src/lint/fix-verify.js';
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

/** A finding at `at` in `text` whose fix is `edit`, with real positions. */
function findingIn(
  text: string,
  ruleId: string,
  at: string,
  edit?: { start: number; end: number; text: string },
  severity: Finding['severity'] = 'warning',
): Finding {
  const file = parse(text);
  const offset = text.indexOf(at);
  return {
    ruleId,
    slug: ruleId.toLowerCase(),
    severity,
    message: `${ruleId} here`,
    range: { start: file.positionAt(offset), end: file.positionAt(offset + at.length) },
    ...(edit ? { fix: { description: 'd', edits: [edit] } } : {}),
  };
}

describe('fix verification (issue 13)', () => {
  const base = 'Bootstrap: docker\nFrom: alpine\n\n%environment\n    export A=1\n\n%post\n    touch /a\n    cat > /b <<EOF\nx\n';

  it('rejects a fix that does not clear its own finding, so the file cannot grow pass after pass', async () => {
    // The rule always reports `touch`, and its fix appends a line that lands in the open heredoc.
    const lintText = async (text: string) => ({
      file: parse(text),
      findings: [findingIn(text, 'DEF601', 'touch /a', { start: text.length, end: text.length, text: 'rm -rf /x\n' })],
    });
    const result = await fixUntilStable(base, lintText);
    expect(result.output).toBe(base);
    expect(result.passes).toBe(0);
    expect(result.rejected.map((r) => [r.finding.ruleId, r.problem.kind])).toEqual([['DEF601', 'not-cleared']]);
  });

  it("rejects a fix that brings a new error, and one that changes Apptainer's parse outside its section; keeps the good one", async () => {
    const lintText = async (text: string) => {
      const findings: Finding[] = [];
      const touch = text.indexOf('touch /a');
      // DEF900: fix renames touch to `tuch`, which a DEF901 error then flags.
      if (touch >= 0) findings.push(findingIn(text, 'DEF900', 'touch /a', { start: touch, end: touch + 5, text: 'tuch' }));
      if (text.includes('tuch')) findings.push(findingIn(text, 'DEF901', 'tuch', undefined, 'error'));
      // DEF902: its fix in %post opens a %runscript section: a part of the parse no edit was in.
      const cat = text.indexOf('cat >');
      if (text.includes('cat > /b')) findings.push(findingIn(text, 'DEF902', 'cat > /b', { start: cat, end: cat + 3, text: 'true\n%runscript\n    cat' }));
      // DEF903: a good fix in %environment.
      const env = text.indexOf('export A=1');
      if (env >= 0) findings.push(findingIn(text, 'DEF903', 'export A=1', { start: env, end: env + 10, text: 'export A=2' }));
      return { file: parse(text), findings };
    };
    const result = await fixUntilStable(base, lintText);
    expect(result.output).toBe(base.replace('export A=1', 'export A=2'));
    expect(result.rejected.map((r) => [r.finding.ruleId, r.problem.kind]).sort()).toEqual([
      ['DEF900', 'new-error'],
      ['DEF902', 'parse-changed'],
    ]);
  });

  it('maps offsets through edits', () => {
    const edits = [
      { start: 2, end: 4, text: 'abc' },
      { start: 6, end: 6, text: 'zz' },
    ];
    expect([0, 2, 3, 4, 5, 6, 7].map((o) => mapOffset(o, edits))).toEqual([0, 2, 2, 5, 6, 9, 10]);
    expect(mapOffset(6, edits, true)).toBe(7);
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
