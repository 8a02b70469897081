// `--format junit`: one test suite per file, one test case per finding (CI test views). Findings
// at or above the file's `failOn` are failures; the others are passing test cases that carry the
// finding as output, so a report agrees with the exit status.
import type { Severity } from '../lint/types.js';
import type { Formatter } from './types.js';
import { visibleFindings } from './types.js';
import { xmlEscape } from './xml.js';

const RANK: Record<Severity, number> = { style: 0, info: 1, warning: 2, error: 3 };

function fails(severity: Severity, failOn: Severity | 'none' | undefined): boolean {
  if (failOn === undefined) return true;
  return failOn !== 'none' && RANK[severity] >= RANK[failOn];
}

export const format: Formatter = (results) => {
  const suites: string[] = [];
  let total = 0;
  let failures = 0;
  for (const result of results) {
    const findings = visibleFindings(result);
    const cases: string[] = [];
    let failing = 0;
    for (const f of findings) {
      const where = `${result.path}:${f.range.start.line}:${f.range.start.column}`;
      const text = xmlEscape(`${where}: ${f.severity}: ${f.message} [${f.ruleId}]`);
      const failure = fails(f.severity, result.failOn);
      if (failure) failing++;
      cases.push(
        `    <testcase name="${xmlEscape(`${f.ruleId} ${f.slug} at ${f.range.start.line}:${f.range.start.column}`)}" classname="${xmlEscape(result.path)}">`,
        failure ? `      <failure type="${f.severity}" message="${xmlEscape(f.message)}">${text}</failure>` : `      <system-out>${text}</system-out>`,
        '    </testcase>',
      );
    }
    if (result.error) {
      cases.push(`    <testcase name="read" classname="${xmlEscape(result.path)}">`, `      <error message="${xmlEscape(result.error)}"/>`, '    </testcase>');
    }
    const count = Math.max(findings.length + (result.error ? 1 : 0), 1);
    if (cases.length === 0) cases.push(`    <testcase name="apptainer-lint" classname="${xmlEscape(result.path)}"/>`);
    total += count;
    failures += failing + (result.error ? 1 : 0);
    suites.push(
      `  <testsuite name="${xmlEscape(result.path)}" tests="${count}" failures="${failing}" errors="${result.error ? 1 : 0}">`,
      ...cases,
      '  </testsuite>',
    );
  }
  return (
    ['<?xml version="1.0" encoding="utf-8"?>', `<testsuites name="apptainer-lint" tests="${total}" failures="${failures}">`, ...suites, '</testsuites>'].join(
      '\n',
    ) + '\n'
  );
};
