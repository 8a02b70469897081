// A minimal LSP client for tests: starts `apptainer-gen lsp --stdio` as a child process and
// speaks JSON-RPC to it over its stdin/stdout.
import { spawn, type ChildProcess } from 'node:child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node.js';
import { BIN, ROOT } from './build.js';

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    severity?: number;
    code?: string;
    codeDescription?: { href: string };
    source?: string;
    message: string;
    tags?: number[];
    data?: unknown;
  }[];
}

export interface TestClient {
  connection: MessageConnection;
  child: ChildProcess;
  stderr: () => string;
  /** Resolves with the next publishDiagnostics for `uri` that satisfies `accept`. */
  diagnostics(uri: string, accept?: (p: PublishedDiagnostics) => boolean, timeoutMs?: number): Promise<PublishedDiagnostics>;
  /** Every publishDiagnostics received so far, with the time it arrived (performance.now()). */
  received: { at: number; params: PublishedDiagnostics }[];
  exitCode: () => Promise<number | null>;
}

/** Starts the server; `env` replaces the environment it runs with (default: this process's). */
export function startClient(env?: NodeJS.ProcessEnv): TestClient {
  const child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const received: { at: number; params: PublishedDiagnostics }[] = [];
  const waiters: { uri: string; accept: (p: PublishedDiagnostics) => boolean; resolve: (p: PublishedDiagnostics) => void }[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishedDiagnostics) => {
    received.push({ at: performance.now(), params });
    for (const waiter of [...waiters]) {
      if (waiter.uri === params.uri && waiter.accept(params)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(params);
      }
    }
  });
  // The server may register file watchers; accept whatever it asks.
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('workspace/configuration', () => []);
  connection.listen();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    connection,
    child,
    stderr: () => stderr,
    received,
    diagnostics(uri, accept = () => true, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
        waiters.push({
          uri,
          accept,
          resolve: (p) => {
            clearTimeout(timer);
            resolve(p);
          },
        });
      });
    },
    exitCode: () => exited,
  };
}

/** Applies LSP text edits (non-overlapping) to a text. */
export function applyEdits(
  text: string,
  edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[],
): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => (lineStarts[p.line] ?? text.length) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}
