// What every output format receives: one entry per linted file.
import type { Finding, Severity } from '../lint/types.js';

export interface FileResult {
  /** Path as shown to the user (relative to the working directory, `/` separators). */
  path: string;
  /** The linted text (for code frames and snippets). */
  text: string;
  /** All findings, suppressed ones included (only SARIF shows those). */
  findings: Finding[];
  /** Set when the file could not be linted at all (unreadable...). */
  error?: string;
  /**
   * The file's failure threshold (`failOn`): formats that pass or fail (JUnit) count only findings
   * at or above it as failures. Absent: every finding is one.
   */
  failOn?: Severity | 'none';
}

export interface ReportOptions {
  color: boolean;
  /** Tool version for SARIF/JUnit headers. */
  version: string;
}

export type Formatter = (results: FileResult[], options: ReportOptions) => string;

export function visibleFindings(result: FileResult): Finding[] {
  return result.findings.filter((finding) => !finding.suppressed);
}
