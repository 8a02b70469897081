// Bridge to the ShellCheck pass (src/lint/shellcheck.ts, owned by the shell layer). Loaded only
// when ShellCheck is enabled and the file has shell sections. A missing `shellcheck` binary
// yields no findings rather than an error: ShellCheck is optional.
import type { ParsedFile } from '../parse/model.js';
import type { Finding, ShellScript } from './types.js';
import { SEVERITY_RANK, type ResolvedConfig } from './config.js';

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
  const all = await scripts();
  if (all.length === 0) return [];
  const findings = await module.runShellCheck(file, all, { executable: config.shellcheck.path, exclude: config.shellcheck.exclude });
  // `shellcheck.severity` is the lowest level reported, like `shellcheck -S`.
  const lowest = SEVERITY_RANK[config.shellcheck.severity];
  return findings.filter((finding) => SEVERITY_RANK[finding.severity] >= lowest);
}
