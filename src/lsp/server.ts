// The language server's transport: it answers the client's requests and notifications by
// handing them to the workspace (documents and linting, src/lsp/workspace.ts) and to the
// features (hover, completion, symbols, folding, code actions, formatting).
//
// Initialization options (all optional):
//   debounceMs  pause after the last change before linting (default 150; 0 lints at once)
//   shellcheck  run ShellCheck as the CLI does (default true)
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { formatDetailed } from '../format/index.js';
import { VERSION } from '../version.js';
import { FIX_ALL_KIND, fixAllAction, ignoreInFileActions, quickFixes, wants } from './actions.js';
import { invalidateConfigCache } from './diagnostics.js';
import { completionsAt, documentSymbols, foldingRanges, hoverAt } from './features.js';
import { filePathOf, Workspace, type ServerOptions } from './workspace.js';

export { filePathOf, type ServerOptions } from './workspace.js';

const CONFIG_GLOB = '**/.apptainer-lint.{yaml,yml}';

const CAPABILITIES: InitializeResult['capabilities'] = {
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
  hoverProvider: true,
  completionProvider: { triggerCharacters: ['%', ':', ' ', '=', ',', '{'] },
  documentSymbolProvider: true,
  foldingRangeProvider: true,
  documentFormattingProvider: true,
};

export function startServer(connection: Connection): void {
  const workspace = new Workspace({
    publish: (params) => connection.sendDiagnostics(params),
    logError: (message) => connection.console.error(message),
  });
  const client = { versionedEdits: false, watchDynamically: false };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const init = (params.initializationOptions ?? {}) as Partial<ServerOptions>;
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) workspace.options.debounceMs = init.debounceMs;
    if (typeof init.shellcheck === 'boolean') workspace.options.shellcheck = init.shellcheck;
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    workspace.folder = folder ? filePathOf(folder) : undefined;
    client.versionedEdits = params.capabilities.workspace?.workspaceEdit?.documentChanges === true;
    client.watchDynamically = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    return { capabilities: CAPABILITIES, serverInfo: { name: 'apptainer-gen', version: VERSION } };
  });
  connection.onInitialized(() => {
    if (client.watchDynamically) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: CONFIG_GLOB }] });
    }
  });
  connection.onDidChangeWatchedFiles(() => {
    invalidateConfigCache();
    workspace.relintAll();
  });

  connection.onDidOpenTextDocument(({ textDocument: { uri, languageId, version, text } }) => workspace.open(uri, languageId, version, text));
  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    if (textDocument.version !== null) workspace.change(textDocument.uri, textDocument.version, contentChanges);
  });
  connection.onDidSaveTextDocument(({ textDocument }) => workspace.save(textDocument.uri));
  connection.onDidCloseTextDocument(({ textDocument }) => workspace.close(textDocument.uri));

  connection.onCodeAction(async (params): Promise<CodeAction[]> => {
    const document = workspace.document(params.textDocument.uri);
    if (!document) return [];
    const findings = await workspace.findingsFor(document);
    const target = { document, versioned: client.versionedEdits };
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

  // Features that read the parsed document.
  const parsedAt = (uri: string) => {
    const document = workspace.document(uri);
    return document ? { document, file: workspace.parsedOf(document) } : undefined;
  };
  connection.onHover(({ textDocument, position }) => {
    const at = parsedAt(textDocument.uri);
    return at ? hoverAt(at.file, at.document.offsetAt(position)) : null;
  });
  connection.onCompletion(({ textDocument, position }) => {
    const at = parsedAt(textDocument.uri);
    return at ? completionsAt(at.file, at.document.offsetAt(position)) : [];
  });
  connection.onDocumentSymbol(({ textDocument }) => {
    const at = parsedAt(textDocument.uri);
    return at ? documentSymbols(at.file) : [];
  });
  connection.onFoldingRanges(({ textDocument }) => {
    const at = parsedAt(textDocument.uri);
    return at ? foldingRanges(at.file) : [];
  });
  connection.onDocumentFormatting(({ textDocument }) => {
    const at = parsedAt(textDocument.uri);
    if (!at) return [];
    const result = formatDetailed(at.document.getText(), at.file);
    if (!result.changed) return [];
    return [{ range: { start: { line: 0, character: 0 }, end: at.document.positionAt(at.document.getText().length) }, newText: result.text }];
  });

  connection.onShutdown(() => workspace.stopTimers());
  connection.listen();
}
