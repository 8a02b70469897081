// The language server: diagnostics from the linter (on open, on change after a short pause, on
// save), quick fixes and fix-all, hover, completion, symbols, folding and formatting.
//
// After an edit, diagnostics come in two steps for the new version: first the syntax rules
// (milliseconds) together with the previous full lint's findings moved through the edit, then
// the full lint (shell parsing and every rule), which replaces them.
//
// Initialization options (all optional):
//   debounceMs  pause after the last change before linting (default 150; 0 lints at once)
//   shellcheck  run ShellCheck as the CLI does (default true)
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  type CodeAction,
  type Diagnostic,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parse } from '../parse/index.js';
import type { ParsedFile } from '../parse/model.js';
import type { Finding } from '../lint/types.js';
import { formatDetailed } from '../format/index.js';
import { VERSION } from '../version.js';
import { FIX_ALL_KIND, fixAllAction, ignoreInFileActions, quickFixes, wants } from './actions.js';
import { configProblemDiagnostic, invalidateConfigCache, isQuickRule, lintBuffer, toDiagnostic, type LintOutcome } from './diagnostics.js';
import { remapDiagnostics } from './remap.js';
import { completionsAt, documentSymbols, foldingRanges, hoverAt } from './features.js';

export interface ServerOptions {
  debounceMs: number;
  shellcheck: boolean;
}

interface LintState {
  version: number;
  findings: Finding[];
}

const CONFIG_GLOB = '**/.apptainer-lint.{yaml,yml}';

export function startServer(connection: Connection): void {
  const documents = new Map<string, TextDocument>();
  const options: ServerOptions = { debounceMs: 150, shellcheck: true };
  const lintStates = new Map<string, LintState>();
  const pendingLint = new Map<string, { version: number; run: Promise<LintState | undefined> }>();
  const timers = new Map<string, NodeJS.Timeout>();
  const parsedCache = new Map<string, { version: number; file: ParsedFile }>();
  /** The last full lint's diagnostics, moved along with every edit since. */
  const carried = new Map<string, Diagnostic[]>();
  let workspaceFolder: string | undefined;
  let versionedEdits = false;
  let watchDynamically = false;

  function parsedOf(document: TextDocument): ParsedFile {
    const cached = parsedCache.get(document.uri);
    if (cached && cached.version === document.version) return cached.file;
    const file = parse(document.getText(), { filename: filePathOf(document.uri) });
    parsedCache.set(document.uri, { version: document.version, file });
    return file;
  }

  const isCurrent = (uri: string, version: number) => documents.get(uri)?.version === version;

  function diagnosticsOf(outcome: LintOutcome): Diagnostic[] {
    const diagnostics = outcome.findings.map(toDiagnostic);
    if (outcome.configProblem) diagnostics.unshift(configProblemDiagnostic(outcome.configProblem));
    return diagnostics;
  }

  /**
   * Lints the document's current version and publishes the result, unless it went stale. After
   * an edit, the fast syntax rules publish first, together with the previous full lint's other
   * findings moved to their new lines; the full lint (shell parsing, every rule) follows.
   */
  function lintNow(document: TextDocument): Promise<LintState | undefined> {
    const { uri, version } = document;
    const run = (async () => {
      try {
        const request = {
          text: document.getText(),
          filePath: filePathOf(uri),
          fallbackFolder: workspaceFolder,
          shellcheck: options.shellcheck,
          parsed: parsedOf(document),
        };
        const previous = carried.get(uri);
        if (previous) {
          const quick = await lintBuffer(request, true);
          if (!isCurrent(uri, version)) return undefined;
          const kept = previous.filter((d) => typeof d.code === 'string' && !isQuickRule(d.code));
          await connection.sendDiagnostics({ uri, version, diagnostics: [...diagnosticsOf(quick), ...kept] });
        }
        const outcome = await lintBuffer(request);
        if (!isCurrent(uri, version)) return undefined; // a newer lint will follow
        const state = { version, findings: outcome.findings };
        lintStates.set(uri, state);
        const diagnostics = diagnosticsOf(outcome);
        carried.set(uri, diagnostics);
        await connection.sendDiagnostics({ uri, version, diagnostics });
        return state;
      } catch (err) {
        connection.console.error(`apptainer-lint failed on ${uri}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        return undefined;
      }
    })();
    pendingLint.set(uri, { version, run });
    return run;
  }

  function scheduleLint(document: TextDocument, delay: number): void {
    const existing = timers.get(document.uri);
    if (existing) clearTimeout(existing);
    timers.delete(document.uri);
    if (delay <= 0) {
      void lintNow(document);
      return;
    }
    timers.set(
      document.uri,
      setTimeout(() => {
        timers.delete(document.uri);
        const current = documents.get(document.uri);
        if (current) void lintNow(current);
      }, delay),
    );
  }

  /** Findings for exactly this version of the document (lints now if needed). */
  async function findingsFor(document: TextDocument): Promise<Finding[]> {
    const state = lintStates.get(document.uri);
    if (state && state.version === document.version) return state.findings;
    const pending = pendingLint.get(document.uri);
    const fresh = await (pending?.version === document.version ? pending.run : lintNow(document));
    return fresh?.findings ?? [];
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as Partial<ServerOptions>;
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) options.debounceMs = init.debounceMs;
    if (typeof init.shellcheck === 'boolean') options.shellcheck = init.shellcheck;
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    workspaceFolder = folder ? filePathOf(folder) : undefined;
    versionedEdits = params.capabilities.workspace?.workspaceEdit?.documentChanges === true;
    watchDynamically = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['%', ':', ' ', '=', ',', '{'] },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
      },
      serverInfo: { name: 'apptainer-gen', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    if (watchDynamically) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: CONFIG_GLOB }] });
    }
  });

  connection.onDidChangeWatchedFiles(() => {
    invalidateConfigCache();
    for (const document of documents.values()) scheduleLint(document, 0);
  });

  connection.onDidOpenTextDocument(({ textDocument }) => {
    const document = TextDocument.create(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text);
    documents.set(document.uri, document);
    carried.delete(document.uri);
    scheduleLint(document, 0);
  });
  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    const document = documents.get(textDocument.uri);
    if (!document || textDocument.version === null) return;
    const updated = TextDocument.update(document, contentChanges, textDocument.version);
    documents.set(updated.uri, updated);
    const previous = carried.get(updated.uri);
    if (previous) carried.set(updated.uri, remapDiagnostics(previous, contentChanges));
    scheduleLint(updated, options.debounceMs);
  });
  connection.onDidSaveTextDocument(({ textDocument }) => {
    const document = documents.get(textDocument.uri);
    if (document) scheduleLint(document, 0);
  });
  connection.onDidCloseTextDocument(({ textDocument }) => {
    const { uri } = textDocument;
    const timer = timers.get(uri);
    if (timer) clearTimeout(timer);
    for (const map of [timers, lintStates, parsedCache, pendingLint, carried, documents]) map.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  });

  connection.onCodeAction(async (params): Promise<CodeAction[]> => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const findings = await findingsFor(document);
    const target = { document, versioned: versionedEdits };
    const actions: CodeAction[] = [];
    if (wants(params.context.only, CodeActionKind.QuickFix)) {
      actions.push(...quickFixes(target, params.context.diagnostics, findings));
      actions.push(...ignoreInFileActions(target, params.context.diagnostics));
    }
    if (wants(params.context.only, FIX_ALL_KIND)) {
      const all = fixAllAction(target, findings);
      if (all) actions.push(all);
    }
    return actions;
  });

  connection.onHover((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    return hoverAt(parsedOf(document), document.offsetAt(params.position));
  });

  connection.onCompletion((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    return completionsAt(parsedOf(document), document.offsetAt(params.position));
  });

  connection.onDocumentSymbol((params) => {
    const document = documents.get(params.textDocument.uri);
    return document ? documentSymbols(parsedOf(document)) : [];
  });

  connection.onFoldingRanges((params) => {
    const document = documents.get(params.textDocument.uri);
    return document ? foldingRanges(parsedOf(document)) : [];
  });

  connection.onDocumentFormatting((params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const result = formatDetailed(document.getText(), parsedOf(document));
    if (!result.changed) return [];
    return [{ range: { start: { line: 0, character: 0 }, end: document.positionAt(document.getText().length) }, newText: result.text }];
  });

  connection.onShutdown(() => {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  });

  connection.listen();
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
