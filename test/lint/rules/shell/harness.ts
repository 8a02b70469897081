// A small stand-in for the lint engine: runs one rule over a def file with a hand-built
// RuleContext, so rules can be tested before (and independently of) the engine.
import { parse } from '../../../../src/parse/index.js';
import { parseShellScripts } from '../../../../src/lint/shell/index.js';
import { runRuleWalk } from '../../../../src/lint/engine.js';
import { scanPragmas } from '../../../../src/lint/index.js';
import type { Finding, LintSettings, Rule, RuleContext } from '../../../../src/lint/types.js';

export interface HarnessOptions {
  settings?: Partial<LintSettings>;
  options?: Record<string, unknown>;
}

export async function runRule(rule: Rule, text: string, opts: HarnessOptions = {}): Promise<Finding[]> {
  const file = parse(text, { filename: 'test.def' });
  const scripts = rule.meta.needsShell ? await parseShellScripts(file) : [];
  const settings: LintSettings = { trustedRegistries: [], requiredLabels: [], labelSchema: {}, buildArgs: {}, ...opts.settings };
  const findings: Finding[] = [];
  const ctx: RuleContext = {
    file,
    options: opts.options ?? {},
    settings,
    scripts,
    pragmas: scanPragmas(file),
    templateValue: (stage, name) => settings.buildArgs[name] ?? stage.argumentDefaults[name],
    resolvedHeader: (stage, key) => {
      const raw = stage.headerValues[key];
      if (raw === undefined) return undefined;
      let unresolved = false;
      const value = raw.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, name: string) => {
        const v = settings.buildArgs[name] ?? stage.argumentDefaults[name];
        if (v === undefined) unresolved = true;
        return v ?? m;
      });
      return unresolved ? undefined : value;
    },
    report: (input) => {
      findings.push({
        ruleId: rule.meta.id,
        slug: rule.meta.slug,
        severity: input.severity ?? (rule.meta.defaultSeverity === 'off' ? 'warning' : rule.meta.defaultSeverity),
        message: input.message,
        range: input.range,
        fix: input.fix,
        suggestions: input.suggestions,
        tags: input.tags,
      });
    },
  };
  runRuleWalk(rule, ctx);
  return findings;
}

/** Applies non-overlapping edits (of a fix) to a text. */
export function applyEdits(text: string, edits: { start: number; end: number; text: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
