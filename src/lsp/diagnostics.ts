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
import { ruleDocsUrl } from '../lint/rule-docs.js';
import type { SectionResults } from '../lint/section-results.js';

export interface LintRequest {
  text: string;
  /** File path of the document, when it has one (config lookup and `overrides`). */
  filePath?: string;
  /** Folder whose config applies to documents without a path (untitled buffers). */
  fallbackFolder?: string;
  shellcheck: boolean;
  parsed?: ParsedFile;
  /** The document's findings kept per section from its previous lint (see SectionResults). */
  sectionResults?: SectionResults;
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
  /** Set by a `rules` lint when ShellCheck is on for this file: its findings are still to come. */
  shellCheckPending?: boolean;
}

/**
 * `rules`: every apptainer-lint rule, ShellCheck left out (it is a separate process, and may take
 * seconds on a cold cache); `all`: the whole lint, as `apptainer-lint FILE` does it.
 */
export type LintPhase = 'rules' | 'all';

interface Resolved {
  full: ResolvedConfig;
  /** The same configuration with ShellCheck off (same rules and settings objects). */
  rulesOnly: ResolvedConfig;
}

// Resolving a config per keystroke is wasted work: cache per config object and file.
const resolvedCache = new WeakMap<LintConfig, Map<string, Resolved>>();

async function resolvedFor(config: LintConfig, filePath: string | undefined, shellcheck: boolean): Promise<Resolved> {
  let byFile = resolvedCache.get(config);
  if (!byFile) {
    byFile = new Map();
    resolvedCache.set(config, byFile);
  }
  const key = `${shellcheck}\0${filePath ?? ''}`;
  let entry = byFile.get(key);
  if (!entry) {
    const full = await resolveLintConfig({ filename: filePath, config, shellcheck });
    entry = { full, rulesOnly: { ...full, shellcheck: { ...full.shellcheck, enabled: false } } };
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

/** The configuration of a document with no config file (and the fallback for a broken one). */
const DEFAULT_CONFIG: LintConfig = Object.freeze({});

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
      // Asked on every lint (every keystroke) for each folder up to the root: an absent file is
      // the usual answer, so it must not cost a thrown and caught error each time.
      try {
        if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
      } catch {
        // unreadable (permissions, a file where a folder was expected): keep looking
      }
    }
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

async function configFor(folder: string | undefined): Promise<LintConfig> {
  // One object for "no config file", so its resolved form is cached like any other.
  if (!folder) return DEFAULT_CONFIG;
  const file = findConfigFileUncached(folder);
  if (!file) return DEFAULT_CONFIG;
  const stats = statSync(file);
  const cached = configCache.get(file);
  if (cached && cached.mtimeMs === stats.mtimeMs && cached.size === stats.size) return cached.config;
  const config = (async () => ({ ...(await parseConfigText(readConfigText(file), file)), configFile: file }))();
  configCache.set(file, { mtimeMs: stats.mtimeMs, size: stats.size, config });
  return config;
}

/**
 * Lints a buffer; a broken config is reported (and the defaults used) rather than thrown. The
 * `rules` phase leaves ShellCheck out, so its findings never wait for a ShellCheck process.
 */
export async function lintBuffer(request: LintRequest, phase: LintPhase = 'all'): Promise<LintOutcome> {
  const folder = request.filePath ? dirname(request.filePath) : request.fallbackFolder;
  let config: LintConfig = DEFAULT_CONFIG;
  let configProblem: ConfigProblem | undefined;
  let resolved: Resolved;
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
  const options = { filename: request.filePath, parsed: request.parsed, sectionResults: request.sectionResults };
  if (phase === 'rules') {
    const findings = await lint(request.text, { ...options, config: resolved.rulesOnly });
    return { findings: findings.filter((finding) => !finding.suppressed), configProblem, shellCheckPending: resolved.full.shellcheck.enabled };
  }
  let findings: Finding[];
  try {
    findings = await lint(request.text, { ...options, config: resolved.full });
  } catch (err) {
    // A chosen ShellCheck that cannot run: report it, and lint without ShellCheck.
    if (!(err instanceof ConfigError)) throw err;
    configProblem = { message: err.message, configFile: err.file, line: err.line, column: err.column };
    findings = await lint(request.text, { ...options, config: resolved.rulesOnly });
  }
  return { findings: findings.filter((finding) => !finding.suppressed), configProblem };
}

const SEVERITY: Record<Finding['severity'], 1 | 2 | 3 | 4> = { error: 1, warning: 2, info: 3, style: 4 };

/**
 * The link to a rule's page, one object per rule: every publish sends all of a document's
 * diagnostics again (hundreds on a large file), and they share these. Serialised, not changed.
 */
const codeDescriptions = new Map<string, { href: string }>();

function codeDescriptionOf(ruleId: string): { href: string } {
  let description = codeDescriptions.get(ruleId);
  if (!description) codeDescriptions.set(ruleId, (description = Object.freeze({ href: ruleDocsUrl(ruleId) })));
  return description;
}

/**
 * LSP diagnostic for a finding; `data.index` points back into the findings list (code actions
 * check it against the code and range). Every publish sends all of a document's diagnostics, so
 * nothing else rides along in `data`.
 */
export function toDiagnostic(finding: Finding, index: number): Diagnostic {
  const diagnostic: Diagnostic = {
    range: {
      start: { line: finding.range.start.line - 1, character: finding.range.start.character },
      end: { line: finding.range.end.line - 1, character: finding.range.end.character },
    },
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    codeDescription: codeDescriptionOf(finding.ruleId),
    source: finding.ruleId.startsWith('SC') ? 'shellcheck' : 'apptainer-lint',
    message: finding.message,
    data: { index },
  };
  if (finding.tags?.length) diagnostic.tags = finding.tags.map((tag) => (tag === 'unnecessary' ? 1 : 2) as 1 | 2);
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
