// The one place where the language server meets the linter: it lints a buffer under the
// configuration that applies to its file, exactly as `apptainer-lint FILE` would, and turns
// findings into LSP diagnostics.
//
// Config files are cached by path and modification time, so an edited `.apptainer-lint.yaml`
// takes effect on the next lint even without a file-watch notification.
import { statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import type { ParsedFile } from '../parse/model.js';
import type { Finding } from '../lint/types.js';
import { CONFIG_FILE_NAMES, ConfigError, parseConfigText, readConfigText, type LintConfig } from '../lint/config.js';
import { lint, resolveLintConfig, type ResolvedConfig } from '../lint/index.js';
import { allRules } from '../lint/registry.js';
import { ruleDocsUrl } from '../lint/rule-docs.js';

export interface LintRequest {
  text: string;
  /** File path of the document, when it has one (config lookup and `overrides`). */
  filePath?: string;
  /** Folder whose config applies to documents without a path (untitled buffers). */
  fallbackFolder?: string;
  shellcheck: boolean;
  parsed?: ParsedFile;
}

export interface ConfigProblem {
  message: string;
  configFile?: string;
  line?: number;
  column?: number;
}

export interface LintOutcome {
  findings: Finding[];
  configProblem?: ConfigProblem;
}

/** Rules cheap enough to run on every keystroke: the syntax family (no shell parsing). */
const QUICK_RULES = new Set(allRules.filter((rule) => rule.meta.group === 'syntax' && !rule.meta.needsShell).map((rule) => rule.meta.id));

export function isQuickRule(ruleId: string): boolean {
  return QUICK_RULES.has(ruleId);
}

/** The resolved config with every rule but the quick ones turned off. */
function quickConfig(config: ResolvedConfig): ResolvedConfig {
  const rules: ResolvedConfig['rules'] = {};
  for (const [id, setting] of Object.entries(config.rules)) {
    rules[id] = QUICK_RULES.has(id) ? setting : { ...setting, severity: 'off' };
  }
  return { ...config, rules, shellcheck: { ...config.shellcheck, enabled: false } };
}

// Resolving a config per keystroke is wasted work: cache per config object and file.
const resolvedCache = new WeakMap<LintConfig, Map<string, { full: ResolvedConfig; quick: ResolvedConfig }>>();

async function resolvedFor(config: LintConfig, filePath: string | undefined, shellcheck: boolean): Promise<{ full: ResolvedConfig; quick: ResolvedConfig }> {
  let byFile = resolvedCache.get(config);
  if (!byFile) {
    byFile = new Map();
    resolvedCache.set(config, byFile);
  }
  const key = `${shellcheck}\0${filePath ?? ''}`;
  let entry = byFile.get(key);
  if (!entry) {
    const full = await resolveLintConfig({ filename: filePath, config, shellcheck });
    entry = { full, quick: quickConfig(full) };
    byFile.set(key, entry);
  }
  return entry;
}

interface CachedConfig {
  mtimeMs: number;
  size: number;
  config: Promise<LintConfig>;
}

const configCache = new Map<string, CachedConfig>();

/** Forget every cached config (on a file-watch notification). */
export function invalidateConfigCache(): void {
  configCache.clear();
}

/** The nearest config file from `folder` upwards (not cached: a new file must be noticed). */
export function findConfigFileUncached(folder: string): string | undefined {
  let current = folder;
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(current, name);
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // absent: keep looking
      }
    }
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

async function configFor(folder: string | undefined): Promise<LintConfig> {
  if (!folder) return {};
  const file = findConfigFileUncached(folder);
  if (!file) return {};
  const stats = statSync(file);
  const cached = configCache.get(file);
  if (cached && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size) return cached.config;
  const config = (async () => ({ ...(await parseConfigText(readConfigText(file), file)), configFile: file }))();
  configCache.set(file, { mtimeMs: stats.mtimeMs, size: stats.size, config });
  return config;
}

/**
 * Lints a buffer; a broken config is reported (and the defaults used) rather than thrown.
 * With `quick`, only the syntax rules run (milliseconds, for immediate feedback while typing).
 */
export async function lintBuffer(request: LintRequest, quick = false): Promise<LintOutcome> {
  const folder = request.filePath ? dirname(request.filePath) : request.fallbackFolder;
  let config: LintConfig = {};
  let configProblem: ConfigProblem | undefined;
  let resolved: { full: ResolvedConfig; quick: ResolvedConfig };
  try {
    config = await configFor(folder);
    resolved = await resolvedFor(config, request.filePath, request.shellcheck);
  } catch (err) {
    // Unreadable YAML, a schema violation, or a config that fails to resolve (unknown rule...).
    configProblem =
      err instanceof ConfigError
        ? { message: err.message, configFile: err.file, line: err.line, column: err.column }
        : { message: err instanceof Error ? err.message : String(err) };
    resolved = await resolvedFor(DEFAULT_CONFIG, request.filePath, request.shellcheck);
  }
  let findings: Finding[];
  try {
    findings = await lint(request.text, { filename: request.filePath, config: quick ? resolved.quick : resolved.full, parsed: request.parsed });
  } catch (err) {
    // A chosen ShellCheck that cannot run: report it, and lint without ShellCheck.
    if (!(err instanceof ConfigError)) throw err;
    configProblem = { message: err.message, configFile: err.file, line: err.line, column: err.column };
    const withoutShellCheck = { ...resolved.full, shellcheck: { ...resolved.full.shellcheck, enabled: false } };
    findings = await lint(request.text, { filename: request.filePath, config: withoutShellCheck, parsed: request.parsed });
  }
  return { findings: findings.filter((finding) => !finding.suppressed), configProblem };
}

const DEFAULT_CONFIG: LintConfig = {};

const SEVERITY: Record<Finding['severity'], 1 | 2 | 3 | 4> = { error: 1, warning: 2, info: 3, style: 4 };

/** LSP diagnostic for a finding; `data.index` points back into the findings list. */
export function toDiagnostic(finding: Finding, index: number): Diagnostic {
  const diagnostic: Diagnostic = {
    range: {
      start: { line: finding.range.start.line - 1, character: finding.range.start.character },
      end: { line: finding.range.end.line - 1, character: finding.range.end.character },
    },
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: ruleDocsUrl(finding.ruleId) },
    source: finding.ruleId.startsWith('SC') ? 'shellcheck' : 'apptainer-lint',
    message: finding.message,
    data: { index, ruleId: finding.ruleId },
  };
  const tags = (finding.tags ?? []).map((tag) => (tag === 'unnecessary' ? 1 : 2) as 1 | 2);
  if (tags.length > 0) diagnostic.tags = tags;
  return diagnostic;
}

/** A config problem shown on the first line of the document, pointing at the config file. */
export function configProblemDiagnostic(problem: ConfigProblem): Diagnostic {
  const where = problem.configFile ? `${problem.configFile}${problem.line ? `:${problem.line}${problem.column ? `:${problem.column}` : ''}` : ''}: ` : '';
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 1,
    source: 'apptainer-lint',
    message: `${where}${problem.message} (using the default configuration)`,
  };
}
