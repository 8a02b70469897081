// What the language server knows about the open documents: their text, parse, last lint and the
// diagnostics carried through edits, and when to lint them. No transport here: it talks to the
// client only through the `publish` callback and the console.
//
// After an edit, diagnostics come in two steps for the new version: first every apptainer-lint
// rule, re-run only where the edit changed something (the document's SectionResults keep the
// rest), together with the previous ShellCheck findings moved through the edit; then, when
// ShellCheck is on, the whole lint with ShellCheck's fresh findings. ShellCheck never holds back
// the first step.
import { fileURLToPath } from 'node:url';
import type { Diagnostic, PublishDiagnosticsParams, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parse } from '../parse/index.js';
import type { ParsedFile } from '../parse/model.js';
import type { Finding } from '../lint/types.js';
import { SectionResults } from '../lint/section-results.js';
import { configProblemDiagnostic, lintBuffer, toDiagnostic, type LintOutcome } from './diagnostics.js';
import { remapDiagnostics } from './remap.js';

export interface ServerOptions {
  debounceMs: number;
  shellcheck: boolean;
}

interface LintState {
  version: number;
  findings: Finding[];
}

export interface WorkspaceClient {
  publish(params: PublishDiagnosticsParams): Promise<void> | void;
  logError(message: string): void;
}

function diagnosticsOf(outcome: LintOutcome): Diagnostic[] {
  const diagnostics = outcome.findings.map(toDiagnostic);
  if (outcome.configProblem) diagnostics.unshift(configProblemDiagnostic(outcome.configProblem));
  return diagnostics;
}

/** Buffers over this many characters are not linted (the CLI reads at most 8 MiB, docs/security.md). */
export const MAX_LINT_CHARS = 8 * 1024 * 1024;

function tooLargeDiagnostic(): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 2,
    source: 'apptainer-lint',
    message: `Not linted: this file is larger than ${MAX_LINT_CHARS / 1024 / 1024} MiB (Apptainer rejects sections over 64 KiB; see docs/security.md).`,
  };
}

export class Workspace {
  readonly options: ServerOptions = { debounceMs: 150, shellcheck: true };
  folder: string | undefined;
  private readonly documents = new Map<string, TextDocument>();
  private readonly lintStates = new Map<string, LintState>();
  private readonly pendingLint = new Map<string, { version: number; run: Promise<LintState | undefined> }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly parsedCache = new Map<string, { version: number; file: ParsedFile }>();
  /** ShellCheck's diagnostics from the last full lint, moved along with every edit since. */
  private readonly carried = new Map<string, Diagnostic[]>();
  /** Per document: the section-scoped rules' findings of its last lint. */
  private readonly sectionResults = new Map<string, SectionResults>();

  constructor(private readonly client: WorkspaceClient) {}

  document(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  parsedOf(document: TextDocument): ParsedFile {
    const cached = this.parsedCache.get(document.uri);
    if (cached && cached.version === document.version) return cached.file;
    const file = parse(document.getText(), { filename: filePathOf(document.uri) });
    this.parsedCache.set(document.uri, { version: document.version, file });
    return file;
  }

  open(uri: string, languageId: string, version: number, text: string): void {
    const document = TextDocument.create(uri, languageId, version, text);
    this.documents.set(uri, document);
    this.carried.delete(uri);
    this.scheduleLint(document, 0);
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void {
    const document = this.documents.get(uri);
    if (!document) return;
    const updated = TextDocument.update(document, changes, version);
    this.documents.set(uri, updated);
    const previous = this.carried.get(uri);
    if (previous) this.carried.set(uri, remapDiagnostics(previous, changes));
    this.scheduleLint(updated, this.options.debounceMs);
  }

  save(uri: string): void {
    const document = this.documents.get(uri);
    if (document) this.scheduleLint(document, 0);
  }

  close(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    for (const map of [this.timers, this.lintStates, this.parsedCache, this.pendingLint, this.carried, this.sectionResults, this.documents]) map.delete(uri);
    void this.client.publish({ uri, diagnostics: [] });
  }

  /** Re-lints every open document at once (after a configuration change). */
  relintAll(): void {
    for (const document of this.documents.values()) this.scheduleLint(document, 0);
  }

  /** Findings for exactly this version of the document (lints now if needed). */
  async findingsFor(document: TextDocument): Promise<Finding[]> {
    const state = this.lintStates.get(document.uri);
    if (state && state.version === document.version) return state.findings;
    const pending = this.pendingLint.get(document.uri);
    const fresh = await (pending?.version === document.version ? pending.run : this.lintNow(document));
    return fresh?.findings ?? [];
  }

  stopTimers(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private isCurrent(uri: string, version: number): boolean {
    return this.documents.get(uri)?.version === version;
  }

  /** Lints the document's current version and publishes the result, unless it went stale. */
  private lintNow(document: TextDocument): Promise<LintState | undefined> {
    const { uri, version } = document;
    const run = this.lintAndPublish(document).catch((err: unknown) => {
      this.client.logError(`apptainer-lint failed on ${uri}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return undefined;
    });
    this.pendingLint.set(uri, { version, run });
    return run;
  }

  private async lintAndPublish(document: TextDocument): Promise<LintState | undefined> {
    const { uri, version } = document;
    if (document.getText().length > MAX_LINT_CHARS) {
      // Apptainer itself rejects sections over 64 KiB; a buffer this large is not a def file worth
      // blocking the server for (a 20 MB buffer took ~90 s). Same cap as the command line's.
      const diagnostics: Diagnostic[] = [tooLargeDiagnostic()];
      this.lintStates.set(uri, { version, findings: [] });
      this.carried.delete(uri);
      await this.client.publish({ uri, version, diagnostics });
      return this.lintStates.get(uri);
    }
    let sectionResults = this.sectionResults.get(uri);
    if (!sectionResults) this.sectionResults.set(uri, (sectionResults = new SectionResults()));
    const request = {
      text: document.getText(),
      filePath: filePathOf(uri),
      fallbackFolder: this.folder,
      shellcheck: this.options.shellcheck,
      parsed: this.parsedOf(document),
      sectionResults,
    };
    let outcome = await lintBuffer(request, 'rules');
    if (!this.isCurrent(uri, version)) return undefined; // a newer lint will follow
    if (outcome.shellCheckPending) {
      // ShellCheck's previous findings, moved through the edits, until its fresh ones arrive.
      await this.client.publish({ uri, version, diagnostics: [...diagnosticsOf(outcome), ...(this.carried.get(uri) ?? [])] });
      outcome = await lintBuffer(request, 'all');
      if (!this.isCurrent(uri, version)) return undefined;
    }
    const state = { version, findings: outcome.findings };
    this.lintStates.set(uri, state);
    const diagnostics = diagnosticsOf(outcome);
    this.carried.set(
      uri,
      diagnostics.filter((d) => d.source === 'shellcheck'),
    );
    await this.client.publish({ uri, version, diagnostics });
    return state;
  }

  private scheduleLint(document: TextDocument, delay: number): void {
    const existing = this.timers.get(document.uri);
    if (existing) clearTimeout(existing);
    this.timers.delete(document.uri);
    if (delay <= 0) {
      void this.lintNow(document);
      return;
    }
    this.timers.set(
      document.uri,
      setTimeout(() => {
        this.timers.delete(document.uri);
        const current = this.documents.get(document.uri);
        if (current) void this.lintNow(current);
      }, delay),
    );
  }
}

/** File path for a `file:` URI; undefined for other schemes (untitled buffers). */
export function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
