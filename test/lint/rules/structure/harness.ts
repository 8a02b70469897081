// A tiny rule runner for unit tests: parse, build a RuleContext by hand, collect reports.
import { parse } from '../../../../src/parse/index.js';
import type { ParsedFile, Stage } from '../../../../src/parse/model.js';
import type { LintSettings, ReportInput, Rule, RuleContext, Severity } from '../../../../src/lint/types.js';
import { resolvedHeaderOf, runRuleWalk, templateValueOf } from '../../../../src/lint/engine.js';
import { lint, scanPragmas } from '../../../../src/lint/index.js';

export interface Reported extends ReportInput {
  ruleId: string;
  /** Severity the engine would give with the rule at its default level. */
  effectiveSeverity: Severity;
  line: number;
  /** The text under the range. */
  excerpt: string;
}

export interface RunOptions {
  options?: Record<string, unknown>;
  settings?: Partial<LintSettings>;
}

function optionDefaults(rule: Rule): Record<string, unknown> {
  const schema = rule.meta.optionsSchema as { properties?: Record<string, { default?: unknown }> } | undefined;
  const defaults: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema?.properties ?? {})) {
    if ('default' in property) defaults[name] = property.default;
  }
  return defaults;
}

export function runRuleOnFile(rule: Rule, file: ParsedFile, run: RunOptions = {}): Reported[] {
  const settings: LintSettings = { trustedRegistries: [], requiredLabels: [], labelSchema: {}, buildArgs: {}, ...run.settings };
  const reports: Reported[] = [];
  const defaultSeverity = rule.meta.defaultSeverity === 'off' ? 'warning' : rule.meta.defaultSeverity;
  const ctx: RuleContext = {
    file,
    options: { ...optionDefaults(rule), ...run.options },
    settings,
    scripts: [],
    pragmas: scanPragmas(file),
    templateValue: (stage: Stage, name: string) => templateValueOf(stage, name, settings.buildArgs),
    resolvedHeader: (stage: Stage, key: string) => resolvedHeaderOf(stage, key, settings.buildArgs),
    report: (input) => {
      reports.push({
        ...input,
        ruleId: rule.meta.id,
        effectiveSeverity: input.severity ?? defaultSeverity,
        line: input.range.start.line,
        excerpt: file.text.slice(input.range.start.offset, input.range.end.offset),
      });
    },
  };
  runRuleWalk(rule, ctx);
  return reports;
}

export function runRule(rule: Rule, text: string, run: RunOptions = {}): Reported[] {
  return runRuleOnFile(rule, parse(text), run);
}

/** Applies the edits of one fix to the text (edits must not overlap). */
export function applyFix(text: string, fix: { edits: { start: number; end: number; text: string }[] }): string {
  const edits = [...fix.edits].sort((a, b) => b.start - a.start);
  let out = text;
  for (const edit of edits) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/**
 * Runs a rule through the real engine (recommended preset, so the rule keeps its own per-finding
 * severities), for rules on the shell syntax tree (`meta.needsShell`): the engine parses the
 * scripts they read. Gives the rule's findings in the same shape as `runRule`.
 */
export async function lintRule(rule: Rule, text: string): Promise<Reported[]> {
  const findings = await lint(text, { shellcheck: false, config: { extends: 'recommended' } });
  return findings
    .filter((f) => f.ruleId === rule.meta.id)
    .map((f) => ({
      message: f.message,
      range: f.range,
      severity: f.severity,
      fix: f.fix,
      suggestions: f.suggestions,
      tags: f.tags,
      ruleId: f.ruleId,
      effectiveSeverity: f.severity,
      line: f.range.start.line,
      excerpt: text.slice(f.range.start.offset, f.range.end.offset),
    }));
}
