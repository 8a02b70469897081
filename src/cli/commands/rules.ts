// `apptainer-gen rules [--format table|json|markdown]`: the rule catalogue.
import { allRules } from '../../lint/registry.js';
import { JOB_RULES } from '../../lint/job-rules.js';
import { ruleDocsUrl } from '../../lint/rule-docs.js';
import { defineCommand, parseOrExit } from '../args.js';

const USAGE = `Usage: apptainer-gen rules [-f|--format table|json|markdown]

Lists every lint rule: id, slug, group, default severity, fix kind and summary.`;

const RULES_COMMAND = defineCommand({
  name: 'apptainer-gen rules',
  usage: USAGE,
  options: {
    format: { type: 'string', short: 'f', choices: ['table', 'json', 'markdown'] },
  },
  positionals: false,
});

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrExit(RULES_COMMAND, argv);
  if (typeof parsed === 'number') return parsed;
  const format = parsed.values.format ?? 'table';
  const rows = allRules.map(({ meta }) => ({
    id: meta.id,
    slug: meta.slug,
    group: meta.group,
    defaultSeverity: meta.defaultSeverity,
    presets: meta.presets,
    fix: meta.fixKind ?? null,
    summary: meta.summary,
    docs: ruleDocsUrl(meta.id),
  }));
  if (format === 'json') {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  if (format === 'markdown') {
    const lines = ['| ID | Slug | Group | Severity | Fix | Summary |', '|---|---|---|---|---|---|'];
    for (const row of rows) {
      lines.push(
        `| [${row.id}](docs/rules/${row.id}.md) | ${row.slug} | ${row.group} | ${row.defaultSeverity} | ${row.fix ?? ''} | ${row.summary.replace(/\|/g, '\\|')} |`,
      );
    }
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  }
  const widths = { id: 6, slug: Math.max(4, ...rows.map((r) => r.slug.length)), group: 15, severity: 8, fix: 10 };
  const line = (cells: string[]) =>
    [
      cells[0].padEnd(widths.id),
      cells[1].padEnd(widths.slug),
      cells[2].padEnd(widths.group),
      cells[3].padEnd(widths.severity),
      cells[4].padEnd(widths.fix),
      cells[5],
    ].join('  ');
  const out = [line(['ID', 'SLUG', 'GROUP', 'SEVERITY', 'FIX', 'SUMMARY'])];
  for (const row of rows) out.push(line([row.id, row.slug, row.group, row.defaultSeverity, row.fix ?? '-', row.summary]));
  out.push('', `${rows.length} rules. 'apptainer-gen explain RULE' shows one in detail.`);
  out.push(`Job-script checks ('apptainer-gen check-job'): ${JOB_RULES.map((r) => `${r.id} ${r.slug}`).join(', ')}.`);
  process.stdout.write(out.join('\n') + '\n');
  return 0;
}
