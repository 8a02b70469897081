// One rule, one file: src/lint/rules/<group>/<slug>.ts holds exactly one defineRule() whose
// metadata names that group and slug; rule files never import each other; the index is generated.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../../src/lint/rules/index.js';
import { repoRoot } from '../../helpers/corpus.js';

const RULES = join(repoRoot, 'src/lint/rules');
const ruleFiles = readdirSync(RULES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((dir) =>
    readdirSync(join(RULES, dir.name))
      .filter((name) => name.endsWith('.ts'))
      .map((name) => ({ group: dir.name, name })),
  );

describe('rule files', () => {
  it('one file per registered rule', () => {
    expect(ruleFiles.length).toBe(allRules.length);
  });

  it('no rule loops over the stages or the scripts itself: the engine walks, rules listen', () => {
    const handLoop =
      /for \(const \w+ of (ctx\.file\.stages|ctx\.scripts|liveStages\(ctx\.file\))\)|(ctx\.file\.stages|ctx\.scripts|liveStages\(ctx\.file\))\.forEach\(/;
    const offenders = ruleFiles.filter(({ group, name }) => handLoop.test(readFileSync(join(RULES, group, name), 'utf8')));
    expect(offenders.map(({ group, name }) => `${group}/${name}`)).toEqual([]);
  });

  it('no two rules share an id or a slug', () => {
    const repeated = (keys: string[]) => keys.filter((key, index) => keys.indexOf(key) !== index);
    expect(repeated(allRules.map((rule) => rule.meta.id))).toEqual([]);
    expect(repeated(allRules.map((rule) => rule.meta.slug))).toEqual([]);
  });

  it.each(ruleFiles.map((f) => [`${f.group}/${f.name}`, f] as const))(
    '%s: one defineRule, named by its slug, in its group folder',
    async (_path, { group, name }) => {
      const text = readFileSync(join(RULES, group, name), 'utf8');
      expect(text.match(/defineRule\(/g)).toHaveLength(1);
      const module = (await import(join(RULES, group, name))) as Record<string, unknown>;
      const rules = Object.values(module).filter((value): value is (typeof allRules)[number] => allRules.includes(value as (typeof allRules)[number]));
      expect(rules).toHaveLength(1);
      expect(`${rules[0].meta.group}/${rules[0].meta.slug}.ts`).toBe(`${group}/${name}`);
      expect(new RegExp(`^// ${rules[0].meta.id}\\b`).test(text), 'the file opens with its rule id').toBe(true);
    },
  );

  it('never import another rule file', () => {
    const offenders = ruleFiles.flatMap(({ group, name }) =>
      [...readFileSync(join(RULES, group, name), 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g)]
        .map((m) => m[1])
        .filter((spec) => spec.startsWith('./') || /^\.\.\/[\w-]+\/[\w-]+\.js$/.test(spec))
        .map((spec) => `${group}/${name} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('are listed by the generated index (npm run rules:index)', () => {
    expect(() => execFileSync(process.execPath, [join(repoRoot, 'scripts/gen-rule-index.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
