// Developer tool (not a test): how often each structure rule fires on the real corpus.
// Run: npx vite-node test/lint/rules/structure/survey.ts [RULE_ID...]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../../../src/parse/index.js';
import { allRules } from '../../../../src/lint/rules/index.js';
import { lintRule } from '../../../helpers/rule-tester.js';
import { corpusDir } from '../../../helpers/corpus.js';

const inGroup = (group: string) => allRules.filter((rule) => rule.meta.group === group);
const syntax = inGroup('syntax');
const header = inGroup('header');
const sections = inGroup('sections');
const apps = inGroup('apps');
const multistage = inGroup('multistage');
const templating = inGroup('templating');

const CORPUS = `${corpusDir}/files`;
const wanted = process.argv.slice(2);
const all = [...syntax, ...header, ...sections, ...apps, ...multistage, ...templating].filter((rule) => wanted.length === 0 || wanted.includes(rule.meta.id));
const names = readdirSync(CORPUS)
  .filter((name) => name.endsWith('.def'))
  .sort();
const files = names.map((name) => ({ name, file: parse(readFileSync(join(CORPUS, name), 'utf8'), { filename: name }) }));
for (const rule of all) {
  let fileCount = 0;
  let total = 0;
  const samples: string[] = [];
  for (const { name, file } of files) {
    const reports = await lintRule(rule, file.text);
    if (reports.length === 0) continue;
    fileCount++;
    total += reports.length;
    for (const report of reports.slice(0, 2)) {
      if (samples.length < (wanted.length ? 40 : 4))
        samples.push(`    ${name}:${report.line} [${report.severity}] ${report.message.slice(0, 160)} «${report.excerpt.slice(0, 60)}»`);
    }
  }
  console.log(`${rule.meta.id} ${rule.meta.slug}: ${fileCount}/${files.length} files, ${total} findings`);
  for (const sample of samples) console.log(sample);
}
