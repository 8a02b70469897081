// `--format gnu`: `file:line:column: severity: message [ID]`, one per line (editors, grep, CI).
import type { Formatter } from './types.js';
import { visibleFindings } from './types.js';

export const format: Formatter = (results) =>
  results
    .flatMap((result) =>
      visibleFindings(result).map(
        (f) => `${result.path}:${f.range.start.line}:${f.range.start.column}: ${f.severity}: ${f.message.replace(/\n/g, ' ')} [${f.ruleId}]\n`,
      ),
    )
    .join('');
