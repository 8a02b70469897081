// `--format github`: GitHub Actions workflow commands, shown as annotations on the diff.
import type { Severity } from '../lint/types.js';
import type { Formatter } from './types.js';
import { visibleFindings } from './types.js';

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice', style: 'notice' };

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export const format: Formatter = (results) =>
  results
    .flatMap((result) =>
      visibleFindings(result).map((f) => {
        const { start, end } = f.range;
        const properties = [
          `file=${escapeProperty(result.path)}`,
          `line=${start.line}`,
          `col=${start.column}`,
          `endLine=${end.line}`,
          `endColumn=${end.column}`,
          `title=${escapeProperty(`${f.ruleId} ${f.slug}`)}`,
        ];
        return `::${LEVEL[f.severity]} ${properties.join(',')}::${escapeData(f.message)}\n`;
      }),
    )
    .join('');
