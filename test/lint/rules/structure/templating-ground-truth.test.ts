// DEF901/DEF902 against Apptainer's own build-time reading of the corpus (expected-build):
// the rules must fire exactly on the files where Apptainer says `build var NAME is not defined`,
// and NAME must be among the names they report.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../../../../src/parse/index.js';
import { templateVarOtherStage } from '../../../../src/lint/rules/templating/template-var-other-stage.js';
import { templateVarUndefined } from '../../../../src/lint/rules/templating/template-var-undefined.js';
import { lint } from '../../../../src/lint/index.js';
import { covered } from '../../../helpers/rule-tester.js';
import { corpusDir, corpusPresent } from '../../../helpers/corpus.js';

const CORPUS = corpusDir;

describe.skipIf(!corpusPresent)('undefined placeholders agree with expected-build', () => {
  const names = (corpusPresent ? readdirSync(join(CORPUS, 'files')) : []).filter((name) => name.endsWith('.def')).sort();

  it('covers the corpus', async () => {
    expect(names.length).toBeGreaterThan(400);
  });

  it('fires iff Apptainer reports an undefined build var, naming that var', async () => {
    const mismatches: string[] = [];
    let undefinedFiles = 0;
    for (const name of names) {
      const id = name.replace(/\.def$/, '');
      const parsedExpected = JSON.parse(readFileSync(join(CORPUS, 'expected', `${id}.json`), 'utf8')) as { ok: boolean };
      if (!parsedExpected.ok) continue; // Apptainer stops before templating.
      const build = JSON.parse(readFileSync(join(CORPUS, 'expected-build', `${id}.json`), 'utf8')) as { ok: boolean; error?: string };
      const wanted = /^build var (\w+) is not defined/.exec(build.error ?? '')?.[1];
      const file = parse(readFileSync(join(CORPUS, 'files', name), 'utf8'), { filename: name });
      const ids = [templateVarUndefined.meta.id, templateVarOtherStage.meta.id];
      const reports = (await lint(file.text, { filename: name, shellcheck: false }))
        .filter((f) => ids.includes(f.ruleId))
        .map((f) => ({ excerpt: covered(file.text, f) }));
      const reported = new Set(reports.map((report) => report.excerpt.replace(/^\{\{\s*|\s*\}\}$/g, '')));
      if (wanted) undefinedFiles++;
      if (wanted && !reported.has(wanted)) mismatches.push(`${name}: Apptainer says ${wanted} undefined, rules report [${[...reported].join(', ')}]`);
      if (!wanted && reported.size > 0) mismatches.push(`${name}: rules report [${[...reported].join(', ')}], Apptainer: ${build.ok ? 'ok' : build.error}`);
    }
    expect(undefinedFiles).toBeGreaterThan(5);
    expect(mismatches).toEqual([]);
  }, 120_000);
});
