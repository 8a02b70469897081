// `--format checkstyle`: Checkstyle XML (Jenkins warnings-ng, reviewdog...).
import type { Severity } from '../lint/types.js';
import type { Formatter } from './types.js';
import { visibleFindings } from './types.js';
import { xmlEscape } from './xml.js';

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info', style: 'info' };

export const format: Formatter = (results) => {
  const lines = ['<?xml version="1.0" encoding="utf-8"?>', '<checkstyle version="4.3">'];
  for (const result of results) {
    lines.push(`  <file name="${xmlEscape(result.path)}">`);
    if (result.error) lines.push(`    <error line="1" column="1" severity="error" message="${xmlEscape(result.error)}" source="apptainer-lint"/>`);
    for (const f of visibleFindings(result)) {
      lines.push(
        `    <error line="${f.range.start.line}" column="${f.range.start.column}" severity="${LEVEL[f.severity]}" message="${xmlEscape(f.message)}" source="apptainer-lint.${xmlEscape(f.ruleId)}"/>`,
      );
    }
    lines.push('  </file>');
  }
  lines.push('</checkstyle>');
  return lines.join('\n') + '\n';
};
