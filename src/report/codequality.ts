// `--format codequality`: GitLab's Code Quality report (a subset of Code Climate's issue format),
// for `artifacts: reports: codequality:` in .gitlab-ci.yml. GitLab reads `description`,
// `check_name`, `fingerprint`, `severity` and `location.path` + `location.lines.begin`
// (https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format).
//
// GitLab compares the fingerprints of a merge request with those of its target branch to tell new
// findings from fixed ones, and shows one finding per fingerprint. So a fingerprint must not change
// when lines are added above a finding, and two findings must never share one: it hashes the path,
// the rule, the trimmed text of the finding's line and the finding's rank among identical ones.
import { createHash } from 'node:crypto';
import type { Severity } from '../lint/types.js';
import type { Formatter } from './types.js';
import { visibleFindings } from './types.js';

/** GitLab's scale is info, minor, major, critical, blocker. */
const SEVERITY: Record<Severity, string> = { error: 'major', warning: 'minor', info: 'info', style: 'info' };

export const format: Formatter = (results) => {
  const issues = results.flatMap((result) => {
    const lines = result.text.split('\n');
    const seen = new Map<string, number>();
    return visibleFindings(result).map((finding) => {
      const { start, end } = finding.range;
      const lineText = (lines[start.line - 1] ?? '').trim();
      const key = `${result.path}\0${finding.ruleId}\0${lineText}`;
      const rank = seen.get(key) ?? 0;
      seen.set(key, rank + 1);
      return {
        type: 'issue',
        description: `${finding.message} [${finding.ruleId}]`,
        check_name: `${finding.ruleId} ${finding.slug}`,
        fingerprint: createHash('sha256').update(`${key}\0${rank}`).digest('hex').slice(0, 32),
        severity: SEVERITY[finding.severity],
        location: { path: result.path, lines: { begin: start.line, end: end.line } },
      };
    });
  });
  return JSON.stringify(issues, null, 2) + '\n';
};
