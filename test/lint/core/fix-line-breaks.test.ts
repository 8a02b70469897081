// Every fix keeps the file's line breaks: each fixable rule's `bad` example, written with CRLF,
// gets fixes and suggestions whose inserted text uses CRLF only, and the safe fix gives the same
// result as on the LF example, CRLF for LF.
import { describe, expect, it } from 'vitest';
import { allRules, applyFixes, lint, type Finding, type Rule } from '../../../src/lint/index.js';

// DEF300 stands for ShellCheck, whose findings carry ShellCheck's codes and fixes (tested in test/lint/shell).
const fixable = allRules.filter((rule) => rule.meta.fixKind !== undefined && rule.meta.id !== 'DEF300');

async function ownFindings(rule: Rule, text: string): Promise<Finding[]> {
  const severity = rule.meta.defaultSeverity === 'off' ? 'warning' : rule.meta.defaultSeverity;
  const findings = await lint(text, { shellcheck: false, config: { extends: 'recommended', rules: { [rule.meta.id]: severity } } });
  return findings.filter((f) => f.ruleId === rule.meta.id);
}

const bareLineFeed = /(?<!\r)\n/;

describe('fixes on CRLF files', () => {
  it('covers every fixable rule', () => {
    expect(fixable.length).toBeGreaterThan(30);
  });

  describe.each(fixable.map((rule) => [rule.meta.id, rule] as const))('%s', (_id, rule) => {
    const lf = rule.meta.bad;
    const crlf = lf.replace(/\n/g, '\r\n');

    it('inserts CRLF, never a bare LF', async () => {
      const findings = await ownFindings(rule, crlf);
      expect(findings.length, 'the CRLF bad example still triggers the rule').toBeGreaterThan(0);
      const edits = findings.flatMap((f) => [f.fix, ...(f.suggestions ?? [])]).flatMap((fix) => fix?.edits ?? []);
      expect(edits.filter((edit) => bareLineFeed.test(edit.text))).toEqual([]);
    });

    it.runIf(rule.meta.fixKind === 'safe')('safe fix: same result as on LF, with CRLF', async () => {
      const fixedLf = applyFixes(lf, await ownFindings(rule, lf)).output;
      const fixedCrlf = applyFixes(crlf, await ownFindings(rule, crlf)).output;
      expect(fixedLf, 'the safe fix changes the LF example').not.toBe(lf);
      expect(fixedCrlf).toBe(fixedLf.replace(/\r?\n/g, '\r\n'));
    });
  });
});
