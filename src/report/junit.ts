// `--format junit`: one test suite per file, one failing test case per finding (CI test views).
import type { Formatter } from './types.js';
import { visibleFindings } from './types.js';
import { xmlEscape } from './xml.js';

export const format: Formatter = (results) => {
  const suites: string[] = [];
  let total = 0;
  let failures = 0;
  for (const result of results) {
    const findings = visibleFindings(result);
    const cases: string[] = [];
    for (const f of findings) {
      const where = `${result.path}:${f.range.start.line}:${f.range.start.column}`;
      cases.push(
        `    <testcase name="${xmlEscape(`${f.ruleId} ${f.slug} at ${f.range.start.line}:${f.range.start.column}`)}" classname="${xmlEscape(result.path)}">`,
        `      <failure type="${f.severity}" message="${xmlEscape(f.message)}">${xmlEscape(`${where}: ${f.severity}: ${f.message} [${f.ruleId}]`)}</failure>`,
        '    </testcase>',
      );
    }
    if (result.error) {
      cases.push(
        `    <testcase name="read" classname="${xmlEscape(result.path)}">`,
        `      <error message="${xmlEscape(result.error)}"/>`,
        '    </testcase>',
      );
    }
    const count = Math.max(findings.length + (result.error ? 1 : 0), 1);
    if (cases.length === 0) cases.push(`    <testcase name="apptainer-lint" classname="${xmlEscape(result.path)}"/>`);
    const failed = findings.length + (result.error ? 1 : 0);
    total += count;
    failures += failed;
    suites.push(`  <testsuite name="${xmlEscape(result.path)}" tests="${count}" failures="${findings.length}" errors="${result.error ? 1 : 0}">`, ...cases, '  </testsuite>');
  }
  return ['<?xml version="1.0" encoding="utf-8"?>', `<testsuites name="apptainer-lint" tests="${total}" failures="${failures}">`, ...suites, '</testsuites>'].join('\n') + '\n';
};
