#!/usr/bin/env node
// How often each rule fires on the corpus, as a Markdown table (run after a build).
//   node scripts/corpus-stats.mjs [--preset recommended|strict|hpc|security] [--shellcheck] [DIR]
//   node scripts/corpus-stats.mjs --readme [--check]
// --readme writes the README's table (recommended preset, no ShellCheck, every rule that fires
// on at least README_THRESHOLD % of the files) between its corpus-table markers; with --check it
// only compares, exiting 1 when the README is out of date (test/lint/corpus-table.test.ts).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const presetAt = args.indexOf('--preset');
const preset = presetAt === -1 ? 'recommended' : args[presetAt + 1];
const shellcheck = args.includes('--shellcheck');
const corpus =
  args.find((arg, i) => !arg.startsWith('--') && i !== presetAt + 1) ??
  (process.env.APPTAINER_GEN_CORPUS ? join(process.env.APPTAINER_GEN_CORPUS, 'files') : join(root, '../shared/corpus/files'));

const { lint, resolveConfig, allRules, findRule } = await import(join(root, 'dist/src/lint/index.js'));
const config = resolveConfig({ extends: preset }, { shellcheck });
const names = readdirSync(corpus).filter((name) => name.endsWith('.def') || /^(Singularity|Apptainer)/.test(name));

const filesPerRule = new Map();
const findingsPerRule = new Map();
for (const name of names) {
  const findings = await lint(readFileSync(join(corpus, name), 'utf8'), { filename: name, config, shellcheck });
  const seen = new Set();
  for (const finding of findings) {
    if (finding.suppressed) continue;
    findingsPerRule.set(finding.ruleId, (findingsPerRule.get(finding.ruleId) ?? 0) + 1);
    seen.add(finding.ruleId);
  }
  for (const id of seen) filesPerRule.set(id, (filesPerRule.get(id) ?? 0) + 1);
}

const ids = [...new Set([...allRules.map((rule) => rule.meta.id), ...filesPerRule.keys()])];
ids.sort((a, b) => (filesPerRule.get(b) ?? 0) - (filesPerRule.get(a) ?? 0) || a.localeCompare(b));
const percent = (id) => ((100 * (filesPerRule.get(id) ?? 0)) / names.length).toFixed(1);

if (args.includes('--readme')) {
  const README_THRESHOLD = 3;
  const BEGIN = '<!-- corpus-table:begin (npm run corpus-stats -- --readme) -->';
  const END = '<!-- corpus-table:end -->';
  const rows = ids.filter((id) => (100 * (filesPerRule.get(id) ?? 0)) / names.length >= README_THRESHOLD);
  const table = [
    BEGIN,
    `Every rule that fires on at least ${README_THRESHOLD}% of the ${names.length} corpus files (preset \`${preset}\`, no ShellCheck):`,
    '',
    '| Rule | Slug | Severity | % of files |',
    '|---|---|---|---:|',
    ...rows.map((id) => `| ${id} | ${findRule(id)?.meta.slug ?? 'ShellCheck'} | ${findRule(id)?.meta.defaultSeverity ?? ''} | ${percent(id)} |`),
    END,
  ].join('\n');
  const readmePath = join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1) throw new Error('README.md: corpus-table markers not found');
  const updated = readme.slice(0, start) + table + readme.slice(end + END.length);
  if (args.includes('--check')) {
    if (updated !== readme) {
      console.error('README.md: the corpus table is out of date; run `npm run build && npm run corpus-stats -- --readme`');
      console.error(table);
      process.exit(1);
    }
  } else {
    writeFileSync(readmePath, updated);
  }
  process.exit(0);
}

console.log(`Rule hits on ${names.length} corpus files (preset \`${preset}\`${shellcheck ? ', with ShellCheck' : ', without ShellCheck'}).\n`);
console.log('| Rule | Slug | Default | Files | % of files | Findings |');
console.log('|---|---|---|---:|---:|---:|');
for (const id of ids) {
  const rule = findRule(id);
  const files = filesPerRule.get(id) ?? 0;
  console.log(
    `| ${id} | ${rule ? rule.meta.slug : 'ShellCheck'} | ${rule ? rule.meta.defaultSeverity : ''} | ${files} | ${((100 * files) / names.length).toFixed(1)} | ${findingsPerRule.get(id) ?? 0} |`,
  );
}
