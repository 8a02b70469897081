// docs/rules/*.md are generated from rule metadata (`npm run docs:rules`); this test fails when
// the committed pages are out of date, so the docs never drift from the rules.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../../src/lint/index.js';
import { renderRuleDoc, renderRuleIndex, renderRuleTable, renderRuleTables, ruleDocsUrl } from '../../../src/lint/rule-docs.js';

const folder = join(import.meta.dirname, '../../../docs/rules');

describe('rule documentation', () => {
  it('docs/rules has an up-to-date page per rule and nothing else (run `npm run docs:rules`)', () => {
    // Compare bytes: an example may hold text (a lone surrogate) that UTF-8 cannot round-trip.
    const same = (path: string, content: string) => existsSync(path) && Buffer.from(content, 'utf8').equals(readFileSync(path));
    const stale: string[] = [];
    for (const rule of allRules) {
      const path = join(folder, `${rule.meta.id}.md`);
      if (!same(path, renderRuleDoc(rule))) stale.push(`${rule.meta.id}.md`);
    }
    if (!same(join(folder, 'README.md'), renderRuleIndex(allRules))) stale.push('README.md');
    const extra = readdirSync(folder).filter((name) => name !== 'README.md' && !allRules.some((rule) => `${rule.meta.id}.md` === name));
    expect({ stale, extra }).toEqual({ stale: [], extra: [] });
  });

  it("the README's rule count is the registry's", () => {
    const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
    expect(readme.match(/\*\*Linter\*\*[^\n]*?: (\d+) rules/)?.[1]).toBe(String(allRules.length));
  });

  it('the rule tables in docs/*.md match the metadata (run `npm run docs:rules`)', () => {
    const docs = join(import.meta.dirname, '../../../docs');
    const pages = readdirSync(docs).filter((name) => name.endsWith('.md'));
    const stale = pages.filter((name) => {
      const text = readFileSync(join(docs, name), 'utf8');
      return renderRuleTables(text, allRules) !== text;
    });
    expect(stale).toEqual([]);
    const withTables = pages.filter((name) => readFileSync(join(docs, name), 'utf8').includes('<!-- rule-table groups='));
    expect(withTables).toEqual(expect.arrayContaining(['hpc-rules.md', 'rules-structure.md']));
  });

  it('a rule table lists the groups asked for and is replaced whole', () => {
    const table = renderRuleTable(allRules, ['mpi']);
    expect(table).toContain('| [DEF701](rules/DEF701.md) | `mpi-without-pmi` | mpi |');
    expect(table).not.toContain('DEF751');
    const page = 'intro\n<!-- rule-table groups=mpi -->\n| stale | row |\n<!-- /rule-table -->\nafter\n';
    expect(renderRuleTables(page, allRules)).toBe(`intro\n<!-- rule-table groups=mpi -->\n${table}\n<!-- /rule-table -->\nafter\n`);
  });

  it('pages contain the examples and link targets exist', () => {
    const rule = allRules.find((r) => r.meta.id === 'DEF990')!;
    const page = renderRuleDoc(rule);
    expect(page).toContain(rule.meta.bad.trimEnd());
    expect(page).toContain(rule.meta.good.trimEnd());
    expect(ruleDocsUrl('DEF990')).toBe('https://github.com/apptainer-gen/apptainer-gen/blob/main/docs/rules/DEF990.md');
    expect(ruleDocsUrl('SC2086')).toBe('https://www.shellcheck.net/wiki/SC2086');
  });
});
