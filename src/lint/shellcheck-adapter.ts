// Bridge to the ShellCheck pass (src/lint/shellcheck.ts, owned by the shell layer). Loaded only
// when ShellCheck is enabled and the file has shell sections. A missing default `shellcheck`
// yields no findings (ShellCheck is optional); a missing executable that was chosen explicitly
// (--shellcheck-path, APPTAINER_LINT_SHELLCHECK, shellcheck.path) is a configuration error.
import type { ParsedFile } from '../parse/model.js';
import type { Finding, ShellScript } from './types.js';
import { ConfigError, SEVERITY_RANK, type ResolvedConfig } from './config.js';

/** Apptainer's 64 KiB section limit (as SECTION_ANALYSIS_LIMIT in ./shell/index.ts). */
const SECTION_LIMIT = 64 * 1024;

type ShellCheckModule = typeof import('./shellcheck.js');

let modulePromise: Promise<ShellCheckModule | undefined> | undefined;

function loadModule(): Promise<ShellCheckModule | undefined> {
  modulePromise ??= import('./shellcheck.js').then(
    (module) => module,
    () => undefined,
  );
  return modulePromise;
}

export async function runShellCheckForFile(file: ParsedFile, scripts: () => Promise<ShellScript[]>, config: ResolvedConfig): Promise<Finding[]> {
  const module = await loadModule();
  if (!module?.runShellCheck) return [];
  // Sections Apptainer rejects as too large (DEF019) are not worth a ShellCheck run.
  const all = (await scripts()).filter((script) => script.section.bodyLines.reduce((sum, line) => sum + line.text.length + 1, 0) <= SECTION_LIMIT);
  if (all.length === 0) return [];
  const { path, pathFrom } = config.shellcheck;
  // A ShellCheck someone chose explicitly must exist: silence would look like a clean file.
  if (path !== undefined && !(await module.shellCheckVersion(path))) {
    throw new ConfigError(`ShellCheck executable '${path}' (from ${pathFrom ?? 'the configuration'}) cannot be run: not found or not executable`);
  }
  const findings = await module.runShellCheck(file, all, { executable: config.shellcheck.path, exclude: config.shellcheck.exclude });
  // `shellcheck.severity` is the lowest level reported, like `shellcheck -S`.
  const lowest = SEVERITY_RANK[config.shellcheck.severity];
  return findings.filter((finding) => SEVERITY_RANK[finding.severity] >= lowest);
}
