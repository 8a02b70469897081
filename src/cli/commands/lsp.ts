// `apptainer-gen lsp --stdio`: the language server over standard input and output.
const HELP = `Usage: apptainer-gen lsp --stdio

Runs the Apptainer definition-file language server (diagnostics, quick fixes, hover,
completion, symbols, folding, formatting), speaking LSP over stdin/stdout.

Initialization options: { "debounceMs": 150, "shellcheck": true }`;

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  // Some clients append --clientProcessId=N; the server learns the same from `initialize`.
  const unknown = argv.filter((arg) => arg !== '--stdio' && !/^--clientProcessId=\d+$/.test(arg));
  if (!argv.includes('--stdio') || unknown.length > 0) {
    process.stderr.write(`apptainer-gen lsp: ${unknown.length > 0 ? `unknown option '${unknown[0]}'` : '--stdio is required'}\n\n${HELP}\n`);
    return 2;
  }
  // stdout carries the protocol: anything else printed there would corrupt it.
  console.log = console.info = console.warn = console.error;
  const { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } = await import('vscode-languageserver/node.js');
  const { startServer } = await import('../../lsp/server.js');
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  startServer(connection);
  // The connection ends the process on `exit`; until then, keep the command pending.
  return new Promise<number>(() => undefined);
}
