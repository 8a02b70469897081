// The rule tester: runs one rule through the real engine (parse, shell layer, listeners,
// pragmas, fix line breaks) and checks valid and invalid cases, like ESLint's RuleTester.
//
//   testRule(aptGetWithoutYes, {
//     valid: ['Bootstrap: docker\nFrom: debian:12\n\n%post\n    apt-get install -y curl\n'],
//     invalid: [{ code: '...apt-get install curl\n', errors: [{ messageId: 'noYes', line: 5, column: 5 }], output: '...-y curl\n' }],
//   });
//
// The rule runs with the recommended preset around it (so per-finding severities are kept), or
// switched on explicitly when no preset enables it; only its own findings count.
import { describe, expect, it } from 'vitest';
import { applyFixes, findRule, lint, resolveLintConfig, type Finding, type Fix, type LintConfig, type Rule, type Severity } from '../../src/lint/index.js';

/** What a case may set: rule options and the settings part of a config. */
export interface CaseConfig {
  /** The rule's options (`rules: { ID: [severity, options] }`). */
  options?: Record<string, unknown>;
  trustedRegistries?: string[];
  requiredLabels?: string[];
  labelSchema?: Record<string, string>;
  /** `--build-arg` values. */
  buildArgs?: Record<string, string>;
  /** Run ShellCheck too (off by default: a rule test should not depend on it). */
  shellcheck?: boolean;
  filename?: string;
}

export interface ExpectedFinding {
  messageId?: string;
  /** The whole message, or a pattern it matches. */
  message?: string | RegExp;
  /** 1-based start line and column, and (optionally) the end. */
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  severity?: Severity;
  /** The text the finding's range covers. */
  text?: string;
  /** The code after each suggestion is applied, in order. */
  suggestions?: string[];
}

export interface ValidCase extends CaseConfig {
  name?: string;
  code: string;
}

export interface InvalidCase extends ValidCase {
  /** The findings in source order, or how many there are. */
  errors: number | ExpectedFinding[];
  /** The code after one pass of the rule's safe fixes; null: no safe fix. Omitted: not checked. */
  output?: string | null;
}

export interface RuleCases {
  valid?: (string | ValidCase)[];
  invalid?: InvalidCase[];
}

function ruleOf(rule: Rule | string): Rule {
  if (typeof rule !== 'string') return rule;
  const found = findRule(rule);
  if (!found) throw new Error(`no rule ${rule}`);
  return found;
}

/** Ids of the rules the recommended preset turns on. */
let presetEnabled: Promise<Set<string>> | undefined;

/** The config a case runs with: recommended, plus the rule when no preset enables it. */
async function configFor(rule: Rule, run: CaseConfig): Promise<LintConfig> {
  const base: LintConfig = {
    extends: 'recommended',
    trustedRegistries: run.trustedRegistries,
    requiredLabels: run.requiredLabels,
    labelSchema: run.labelSchema,
    buildArgs: run.buildArgs,
  };
  const id = rule.meta.id;
  presetEnabled ??= resolveLintConfig({ config: { extends: 'recommended' }, shellcheck: false }).then(
    (config) => new Set(Object.keys(config.rules).filter((ruleId) => config.rules[ruleId].severity !== 'off')),
  );
  const enabledByPreset = (await presetEnabled).has(id);
  if (enabledByPreset && !run.options) return base;
  const severity = rule.meta.defaultSeverity === 'off' ? 'warning' : rule.meta.defaultSeverity;
  return { ...base, rules: { [id]: run.options ? [severity, run.options] : severity } };
}

/** The rule's findings on `code`, through the real engine. Fails the test when any rule crashes. */
export async function findingsOf(rule: Rule | string, code: string, run: CaseConfig = {}): Promise<Finding[]> {
  const target = ruleOf(rule);
  const config = await configFor(target, run);
  const all = await lint(code, { filename: run.filename ?? 'test.def', shellcheck: run.shellcheck ?? false, config });
  const crashes = all.filter((f) => f.message.startsWith('Internal error'));
  expect(crashes.map((f) => f.message)).toEqual([]);
  const own = (f: Finding) => (target.meta.id === 'DEF300' ? /^SC\d+$/.test(f.ruleId) : f.ruleId === target.meta.id);
  return all.filter((f) => own(f) && !f.suppressed);
}

/** Applies the edits of one fix (they must not overlap). */
export function applyFix(text: string, fix: Fix): string {
  let out = text;
  for (const edit of [...fix.edits].sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** The text a finding's range covers. */
export function covered(code: string, finding: Finding): string {
  return code.slice(finding.range.start.offset, finding.range.end.offset);
}

/** `line:column text` of each finding, for readable assertions. */
export function where(code: string, findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.range.start.line}:${f.range.start.column} ${JSON.stringify(covered(code, f))}`);
}

function checkFinding(code: string, finding: Finding, wanted: ExpectedFinding, label: string): void {
  const actual: Record<string, unknown> = {};
  const expected: Record<string, unknown> = {};
  const compare = (key: string, value: unknown, got: unknown) => {
    if (value === undefined) return;
    expected[key] = value;
    actual[key] = got;
  };
  compare('messageId', wanted.messageId, finding.messageId);
  compare('line', wanted.line, finding.range.start.line);
  compare('column', wanted.column, finding.range.start.column);
  compare('endLine', wanted.endLine, finding.range.end.line);
  compare('endColumn', wanted.endColumn, finding.range.end.column);
  compare('severity', wanted.severity, finding.severity);
  compare('text', wanted.text, covered(code, finding));
  if (typeof wanted.message === 'string') compare('message', wanted.message, finding.message);
  if (wanted.suggestions) {
    compare(
      'suggestions',
      wanted.suggestions,
      (finding.suggestions ?? []).map((s) => applyFix(code, s)),
    );
  }
  expect(actual, label).toEqual(expected);
  if (wanted.message instanceof RegExp) expect(finding.message, label).toMatch(wanted.message);
}

/** Checks one invalid case; usable on its own inside a test. */
export async function expectInvalid(rule: Rule | string, testCase: InvalidCase): Promise<Finding[]> {
  const findings = await findingsOf(rule, testCase.code, testCase);
  const label = testCase.name ?? testCase.code;
  if (typeof testCase.errors === 'number') {
    expect(findings.length, `${label}: number of findings\n${where(testCase.code, findings).join('\n')}`).toBe(testCase.errors);
  } else {
    expect(findings.length, `${label}: number of findings\n${where(testCase.code, findings).join('\n')}`).toBe(testCase.errors.length);
    testCase.errors.forEach((wanted, i) => checkFinding(testCase.code, findings[i], wanted, `${label}: finding ${i + 1}`));
  }
  if (testCase.output !== undefined) {
    const fixable = findings.filter((f) => f.fix);
    if (testCase.output === null)
      expect(
        fixable.map((f) => f.message),
        `${label}: offers no safe fix`,
      ).toEqual([]);
    else expect(applyFixes(testCase.code, fixable).output, `${label}: output`).toBe(testCase.output);
  }
  return findings;
}

/** Checks one valid case (no finding of the rule). */
export async function expectValid(rule: Rule | string, testCase: string | ValidCase): Promise<void> {
  const valid = typeof testCase === 'string' ? { code: testCase } : testCase;
  const findings = await findingsOf(rule, valid.code, valid);
  expect(
    findings.map((f) => `${f.range.start.line}:${f.range.start.column} ${f.message}`),
    valid.name ?? valid.code,
  ).toEqual([]);
}

/** Registers a `describe` block with one test per case. */
export function testRule(rule: Rule | string, cases: RuleCases): void {
  const target = ruleOf(rule);
  describe(`${target.meta.id} ${target.meta.slug}`, () => {
    (cases.valid ?? []).forEach((testCase, i) => {
      const name = typeof testCase === 'string' ? `valid ${i + 1}` : (testCase.name ?? `valid ${i + 1}`);
      it(name, () => expectValid(target, testCase));
    });
    (cases.invalid ?? []).forEach((testCase, i) => {
      it(testCase.name ?? `invalid ${i + 1}`, async () => {
        await expectInvalid(target, testCase);
      });
    });
  });
}

/** A finding with its start line and the text it covers, for targeted assertions. */
export interface TestFinding extends Finding {
  line: number;
  excerpt: string;
}

/** The rule's findings on `code` through the real engine, each with `line` and `excerpt`. */
export async function lintRule(rule: Rule | string, code: string, run: CaseConfig = {}): Promise<TestFinding[]> {
  const findings = await findingsOf(rule, code, run);
  return findings.map((f) => ({ ...f, line: f.range.start.line, excerpt: covered(code, f) }));
}
