// The lint engine: one parse, then every enabled rule over the parsed file, then ShellCheck,
// then suppressions. Parse diagnostics are NOT turned into findings here: the syntax rules
// (src/lint/rules/syntax/) surface them, so each problem is reported exactly once.
import type { ParsedFile, Stage } from '../parse/model.js';
import type { Finding, ReportInput, Rule, RuleContext, Severity, ShellScript } from './types.js';
import type { ResolvedConfig } from './config.js';
import { allRules } from './registry.js';
import { applyPragmas, scanPragmas, type Pragma } from './pragmas.js';

/** A rule that looks at pragmas after every other rule ran (DEF990 unused-ignore-pragma). */
export interface SuppressionRule extends Rule {
  checkSuppressions(ctx: RuleContext, pragmas: readonly Pragma[], ran: (ruleId: string) => boolean): void;
}

function isSuppressionRule(rule: Rule): rule is SuppressionRule {
  return typeof (rule as Partial<SuppressionRule>).checkSuppressions === 'function';
}

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** `--build-arg` value, else the stage's `%arguments` default; nested `{{ }}` resolved one level. */
export function templateValueOf(stage: Stage, name: string, buildArgs: Record<string, string>): string | undefined {
  const lookup = (key: string) => (Object.hasOwn(buildArgs, key) ? buildArgs[key] : Object.hasOwn(stage.argumentDefaults, key) ? stage.argumentDefaults[key] : undefined);
  const value = lookup(name);
  if (value === undefined) return undefined;
  return value.replace(PLACEHOLDER, (whole, inner: string) => lookup(inner) ?? whole);
}

/** A header value with resolvable placeholders substituted (as Apptainer re-parses it: cut at `#`). */
export function resolvedHeaderOf(stage: Stage, key: string, buildArgs: Record<string, string>): string | undefined {
  const value = stage.headerValues[key.toLowerCase()];
  if (value === undefined || !value.includes('{{')) return value;
  const substituted = value.replace(PLACEHOLDER, (whole, name: string) => templateValueOf(stage, name, buildArgs) ?? whole);
  const hash = substituted.indexOf('#');
  return (hash === -1 ? substituted : substituted.slice(0, hash)).trim();
}

function hasShellSections(file: ParsedFile): boolean {
  return file.stages.some((stage) =>
    stage.sections.some((section) => (section.shell && section.shell.dialect !== 'other') || section.name === 'environment' || section.name === 'appenv'),
  );
}

async function loadShellScripts(file: ParsedFile): Promise<ShellScript[]> {
  const shell = await import('./shell/index.js');
  return shell.parseShellScripts(file);
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    a.range.start.offset - b.range.start.offset ||
    a.range.end.offset - b.range.end.offset ||
    a.ruleId.localeCompare(b.ruleId) ||
    a.message.localeCompare(b.message)
  );
}

export interface EngineOptions {
  /** Runs ShellCheck over the file's shell sections (when enabled and installed). */
  shellcheck?: (file: ParsedFile, scripts: () => Promise<ShellScript[]>, config: ResolvedConfig) => Promise<Finding[]>;
}

/** Lints a parsed file with a resolved configuration. */
export async function runRules(file: ParsedFile, config: ResolvedConfig, options: EngineOptions = {}): Promise<Finding[]> {
  const enabled = allRules.filter((rule) => config.rules[rule.meta.id]?.severity !== 'off' && config.rules[rule.meta.id] !== undefined);
  const buildArgs = config.settings.buildArgs;

  let scriptsPromise: Promise<ShellScript[]> | undefined;
  const scripts = () => (scriptsPromise ??= hasShellSections(file) ? loadShellScripts(file) : Promise.resolve([]));
  const parsedScripts = enabled.some((rule) => rule.meta.needsShell) ? await scripts() : [];

  const findings: Finding[] = [];
  const contextFor = (rule: Rule): RuleContext => {
    const ruleConfig = config.rules[rule.meta.id];
    const severity = ruleConfig.severity as Severity;
    return {
      file,
      options: ruleConfig.options,
      settings: config.settings,
      scripts: parsedScripts,
      templateValue: (stage, name) => templateValueOf(stage, name, buildArgs),
      resolvedHeader: (stage, key) => resolvedHeaderOf(stage, key, buildArgs),
      report: (input: ReportInput) => {
        findings.push(toFinding(rule, input, ruleConfig.explicit || !input.severity ? severity : input.severity));
      },
    };
  };

  for (const rule of enabled) {
    runSafely(rule, () => rule.check(contextFor(rule)), file, findings);
  }

  let shellCheckRan = false;
  if (config.shellcheck.enabled && options.shellcheck && hasShellSections(file)) {
    const shellFindings = await options.shellcheck(file, scripts, config);
    shellCheckRan = true;
    for (const finding of shellFindings) {
      const override = config.shellCheckRules[finding.ruleId];
      if (override === 'off' || config.shellcheck.exclude.includes(finding.ruleId)) continue;
      findings.push(override ? { ...finding, severity: override } : finding);
    }
  }

  if (!config.noInlineConfig) {
    const { pragmas } = scanPragmas(file);
    applyPragmas(findings, pragmas);
    const ran = (ruleId: string) => (ruleId.startsWith('SC') ? shellCheckRan : true);
    const metaFindingsStart = findings.length;
    for (const rule of enabled) {
      if (isSuppressionRule(rule)) runSafely(rule, () => rule.checkSuppressions(contextFor(rule), pragmas, ran), file, findings);
    }
    applyPragmas(findings.slice(metaFindingsStart), pragmas, { notBySelf: true });
  }
  return capFindings(findings.sort(compareFindings));
}

/** Findings reported per file at most: a pathological file must not produce a gigabyte report. */
export const MAX_FINDINGS_PER_FILE = 1000;

function capFindings(findings: Finding[]): Finding[] {
  if (findings.length <= MAX_FINDINGS_PER_FILE) return findings;
  const left = findings.length - MAX_FINDINGS_PER_FILE;
  const kept = findings.slice(0, MAX_FINDINGS_PER_FILE);
  const at = kept[kept.length - 1].range;
  kept.push({
    ruleId: 'DEF022',
    slug: 'analysis-limit',
    severity: 'warning',
    message: `${left} more findings were not reported (at most ${MAX_FINDINGS_PER_FILE} per file); fix these and lint again`,
    range: { start: at.start, end: at.start },
  });
  return kept;
}

function toFinding(rule: Rule, input: ReportInput, severity: Severity): Finding {
  const finding: Finding = { ruleId: rule.meta.id, slug: rule.meta.slug, severity, message: input.message, range: input.range };
  if (input.fix) finding.fix = input.fix;
  if (input.suggestions?.length) finding.suggestions = input.suggestions;
  if (input.tags?.length) finding.tags = input.tags;
  return finding;
}

/** A crashing rule must not take the whole lint down: it becomes an error finding at the file start. */
function runSafely(rule: Rule, body: () => void, file: ParsedFile, findings: Finding[]): void {
  try {
    body();
  } catch (err) {
    const start = file.positionAt(0);
    findings.push({
      ruleId: rule.meta.id,
      slug: rule.meta.slug,
      severity: 'error',
      message: `Internal error in rule ${rule.meta.id} (${rule.meta.slug}): ${err instanceof Error ? err.message : String(err)}`,
      range: { start, end: start },
    });
  }
}
