#!/usr/bin/env node
// Writes docs/rules/<ID>.md and docs/rules/README.md from rule metadata (run after a build:
// `npm run docs:rules`), and regenerates the `<!-- rule-table groups=... -->` blocks of
// docs/*.md. Stale pages of removed rules are deleted. `--check` only reports differences and
// exits 1 when the committed docs are out of date.
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { allRules } = await import(join(root, 'dist/src/lint/registry.js'));
const { renderRuleDoc, renderRuleIndex, renderRuleTables } = await import(join(root, 'dist/src/lint/rule-docs.js'));

const check = process.argv.includes('--check');
const folder = join(root, 'docs/rules');
mkdirSync(folder, { recursive: true });

const wanted = new Map(allRules.map((rule) => [`${rule.meta.id}.md`, renderRuleDoc(rule)]));
wanted.set('README.md', renderRuleIndex(allRules));

let differences = 0;
for (const [name, content] of wanted) {
  const path = join(folder, name);
  // Compare bytes: an example may hold text (a lone surrogate) that UTF-8 cannot round-trip.
  if (existsSync(path) && Buffer.from(content, 'utf8').equals(readFileSync(path))) continue;
  differences++;
  if (check) console.log(`out of date: docs/rules/${name}`);
  else writeFileSync(path, content);
}
for (const name of readdirSync(folder)) {
  if (name.endsWith('.md') && !wanted.has(name)) {
    differences++;
    if (check) console.log(`stale: docs/rules/${name}`);
    else unlinkSync(join(folder, name));
  }
}
const docs = join(root, 'docs');
for (const name of readdirSync(docs).filter((file) => file.endsWith('.md'))) {
  const path = join(docs, name);
  const text = readFileSync(path, 'utf8');
  const updated = renderRuleTables(text, allRules);
  if (updated === text) continue;
  differences++;
  if (check) console.log(`out of date: docs/${name} (rule table)`);
  else writeFileSync(path, updated);
}
if (check) {
  process.exitCode = differences > 0 ? 1 : 0;
} else {
  console.log(`docs/rules: ${wanted.size} pages, ${differences} written or removed`);
}
