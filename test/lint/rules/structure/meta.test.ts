// Every structure rule: complete metadata, its `bad` example fires and its `good` one stays quiet,
// no crash on any corpus file.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../../../src/parse/index.js';
import { allRules } from '../../../../src/lint/rules/index.js';
import { runRule, runRuleOnFile } from './harness.js';
import { corpusDir, corpusPresent } from '../../../helpers/corpus.js';

const inGroup = (group: string) => allRules.filter((rule) => rule.meta.group === group);
const syntax = inGroup('syntax');
const header = inGroup('header');
const sections = inGroup('sections');
const apps = inGroup('apps');
const multistage = inGroup('multistage');
const templating = inGroup('templating');

export const structureRules = [...syntax, ...header, ...sections, ...apps, ...multistage, ...templating];

describe('structure rules metadata', () => {
  it('has unique ids and slugs', () => {
    const ids = structureRules.map((rule) => rule.meta.id);
    const slugs = structureRules.map((rule) => rule.meta.slug);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(slugs).size).toBe(slugs.length);
  });

  for (const rule of structureRules) {
    describe(`${rule.meta.id} ${rule.meta.slug}`, () => {
      it('has complete metadata', () => {
        expect(rule.meta.id).toMatch(/^DEF\d{3}$/);
        expect(rule.meta.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(rule.meta.summary.length).toBeGreaterThan(10);
        expect(rule.meta.description.length).toBeGreaterThan(40);
        expect(rule.meta.source.length).toBeGreaterThan(2);
      });
      // Rules on the shell syntax tree need the engine's parsed scripts: test/lint/rule-fixtures.test.ts covers them.
      if (!rule.meta.needsShell)
        it('fires on its bad example', () => {
          const reports = runRule(rule, rule.meta.bad);
          expect(reports.length).toBeGreaterThan(0);
          for (const report of reports) {
            expect(report.range.end.offset).toBeGreaterThanOrEqual(report.range.start.offset);
            expect(report.message.length).toBeGreaterThan(5);
          }
        });
      if (!rule.meta.needsShell) {
        it('stays quiet on its good example', () => {
          expect(runRule(rule, rule.meta.good)).toEqual([]);
        });
      }
    });
  }
});

const CORPUS = `${corpusDir}/files`;

describe.skipIf(!corpusPresent)('structure rules on the corpus', () => {
  it('never crash', () => {
    const names = readdirSync(CORPUS).filter((name) => name.endsWith('.def'));
    for (const name of names) {
      const file = parse(readFileSync(join(CORPUS, name), 'utf8'), { filename: name });
      for (const rule of structureRules) {
        expect(() => runRuleOnFile(rule, file), `${rule.meta.id} on ${name}`).not.toThrow();
      }
    }
  }, 120_000);
});

describe('structure rules on arbitrary input', () => {
  it('never crash on def-like noise', async () => {
    const fc = await import('fast-check');
    const fragment = fc.constantFrom(
      'Bootstrap: docker\n',
      'bootstrap:',
      'From: a\\\n',
      '%post',
      '%files from x\n',
      '%apprun  a\n',
      '\t%post\n',
      '%\n',
      '"\n',
      '{{ A }}',
      '{{ a-b }',
      '# c {{ X }}\n',
      '<<EOF\n',
      'EOF\n',
      '%arguments\nA=1\n',
      'Stage: s\n',
      '\ufeff',
      '\r\n',
      '%labels\nA=b\n',
      'export X=1\n',
      '$@',
      ' ',
      '\n',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(fragment, fc.string()), { maxLength: 30 }), (parts) => {
        const file = parse(parts.join(''));
        for (const rule of structureRules) runRuleOnFile(rule, file);
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
