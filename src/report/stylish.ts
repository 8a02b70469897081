// `--format stylish` (default): findings grouped per file, each with a small code frame.
import type { Finding, Severity } from '../lint/types.js';
import type { FileResult, Formatter } from './types.js';
import { visibleFindings } from './types.js';

interface Palette {
  red(text: string): string;
  yellow(text: string): string;
  blue(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
  underline(text: string): string;
}

function palette(color: boolean): Palette {
  const wrap = (open: number, close: number) => (text: string) => (color ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return { red: wrap(31, 39), yellow: wrap(33, 39), blue: wrap(34, 39), dim: wrap(2, 22), bold: wrap(1, 22), underline: wrap(4, 24) };
}

function severityLabel(severity: Severity, c: Palette): string {
  const padded = severity.padEnd(7);
  return severity === 'error' ? c.red(padded) : severity === 'warning' ? c.yellow(padded) : c.blue(padded);
}

function lineText(text: string, offset: number): { start: number; text: string } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end === -1) end = text.length;
  return { start, text: text.slice(start, end).replace(/\r$/, '') };
}

/** The finding's first line with carets under its range (tabs shown as one space to keep alignment). */
function codeFrame(result: FileResult, finding: Finding, c: Palette): string[] {
  const { start, end } = finding.range;
  if (start.offset > result.text.length) return [];
  const line = lineText(result.text, start.offset);
  const visible = line.text.replace(/\t/g, ' ');
  const from = start.offset - line.start;
  const to = end.line === start.line ? Math.max(end.offset - line.start, from + 1) : Math.max(line.text.length, from + 1);
  const gutter = String(start.line);
  const clipped = visible.length > 160 ? visible.slice(0, 160) + '…' : visible;
  return [
    `    ${c.dim(`${gutter} |`)} ${clipped}`,
    `    ${' '.repeat(gutter.length)} ${c.dim('|')} ${' '.repeat(Math.min(from, 160))}${c.red('^'.repeat(Math.max(1, Math.min(to, 161) - Math.min(from, 160))))}`,
  ];
}

export const format: Formatter = (results, options) => {
  const c = palette(options.color);
  const out: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, style: 0 };
  let fixable = 0;
  for (const result of results) {
    const findings = visibleFindings(result);
    if (findings.length === 0 && !result.error) continue;
    out.push(c.underline(result.path));
    if (result.error) out.push(`  ${c.red('error')}  ${result.error}`);
    for (const finding of findings) {
      counts[finding.severity]++;
      if (finding.fix) fixable++;
      const position = `${finding.range.start.line}:${finding.range.start.column}`.padEnd(7);
      out.push(`  ${c.dim(position)} ${severityLabel(finding.severity, c)} ${finding.message}  ${c.dim(`${finding.ruleId}/${finding.slug}`)}`);
      out.push(...codeFrame(result, finding, c));
    }
    out.push('');
  }
  const total = counts.error + counts.warning + counts.info + counts.style;
  if (total === 0) return out.join('\n') + (out.length ? '\n' : '');
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const summary = `${counts.error > 0 ? '✖' : '⚠'} ${plural(total, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info, ${counts.style} style)`;
  out.push(c.bold(counts.error > 0 ? c.red(summary) : c.yellow(summary)));
  if (fixable > 0) out.push(c.dim(`  ${plural(fixable, 'problem')} fixable with --fix`));
  return out.join('\n') + '\n';
};
