// `apptainer-gen lsp --stdio`: the language server over standard input and output.
import { defineCommand, parseOrExit, reportUsageError } from '../args.js';

const HELP = `Usage: apptainer-gen lsp --stdio

Runs the Apptainer definition-file language server (diagnostics, quick fixes, hover,
completion, symbols, folding, formatting), speaking LSP over stdin/stdout.

Initialization options: { "debounceMs": 150, "shellcheck": true }`;

const LSP_COMMAND = defineCommand({
  name: 'apptainer-gen lsp',
  usage: HELP,
  options: {
    stdio: { type: 'boolean' },
    // Some clients append --clientProcessId=N; the server learns the same from `initialize`.
    clientProcessId: { type: 'string' },
  },
  positionals: false,
});

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrExit(LSP_COMMAND, argv);
  if (typeof parsed === 'number') return parsed;
  const { stdio, clientProcessId } = parsed.values;
  if (clientProcessId !== undefined && !/^\d+$/.test(clientProcessId)) {
    return reportUsageError(LSP_COMMAND, `option '--clientProcessId' must be a process id, not '${clientProcessId}'`);
  }
  if (!stdio) return reportUsageError(LSP_COMMAND, '--stdio is required');
  // stdout carries the protocol: anything else printed there would corrupt it.
  console.log = console.info = console.warn = console.error;
  const languageServer = await import('vscode-languageserver/node.js');
  // Bundled as CommonJS in a chunk of its own (scripts/bundle.mjs), the module is its `default`.
  const { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } = (
    'createConnection' in languageServer ? languageServer : (languageServer as { default: unknown }).default
  ) as typeof import('vscode-languageserver/node.js');
  const { startServer } = await import('../../lsp/server.js');
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  startServer(connection);
  // The connection ends the process on `exit`; until then, keep the command pending.
  return new Promise<number>(() => undefined);
}
