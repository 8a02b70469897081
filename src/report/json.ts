// `--format json`: a flat array, 1-based lines and columns (columns in Unicode code points,
// end exclusive), stable field names.
import type { Formatter } from './types.js';
import { visibleFindings } from './types.js';

export const format: Formatter = (results) => {
  const rows = results.flatMap((result) =>
    visibleFindings(result).map((finding) => ({
      file: result.path,
      line: finding.range.start.line,
      column: finding.range.start.column,
      endLine: finding.range.end.line,
      endColumn: finding.range.end.column,
      ruleId: finding.ruleId,
      severity: finding.severity,
      message: finding.message,
      ...(finding.fix ? { fix: finding.fix } : {}),
    })),
  );
  return JSON.stringify(rows, null, 2) + '\n';
};
