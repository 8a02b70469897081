#!/usr/bin/env node
// Language-server latency (run after a build): a 2,000-line def file is opened in a real
// `apptainer-gen lsp --stdio` process (debounce 0, ShellCheck off) and edited repeatedly. After
// each didChange the server publishes twice for the new version: first the syntax rules' fresh
// findings plus the previous full lint's findings moved through the edit, then the full lint.
// Both delays are measured from sending didChange.
//   node bench/lsp.mjs [--edits N]          target: first diagnostics, median < 20 ms
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = await import(
  pathToFileURL(join(root, 'node_modules/vscode-jsonrpc/node.js')).href
);
const editsArg = process.argv.indexOf('--edits');
const edits = editsArg > 0 ? Number(process.argv[editsArg + 1]) : 60;
const TARGET_MS = 20;

/** A realistic def file of exactly `lines` lines: a header, then varied sections. */
function bigDefinition(lines) {
  const out = ['Bootstrap: docker', 'From: ubuntu:24.04', 'Stage: build', ''];
  const block = [
    '%post',
    '  export DEBIAN_FRONTEND=noninteractive',
    '  apt-get update && apt-get install -y --no-install-recommends build-essential curl',
    '  rm -rf /var/lib/apt/lists/*',
    '  curl -fsSL https://example.org/pkg-1.2.3.tar.gz | tar -xz -C /opt',
    '  cd /opt/pkg-1.2.3 && ./configure --prefix=/usr/local && make -j"$(nproc)" && make install',
    '  pip install --no-cache-dir numpy==2.1.0',
    '',
    '%environment',
    '  export PATH=/usr/local/bin:$PATH',
    '',
    '%labels',
    '  Author someone@example.org',
    '',
  ];
  // Each copy of the block gets its own versions: a real file does not repeat one section verbatim
  // 140 times (identical bodies would also share one cache entry and hide the per-section costs).
  for (let i = 0; out.length < lines - 2; i++) out.push(...block.map((line) => line.replaceAll('1.2.3', `1.2.${i}`).replace('2.1.0', `2.1.${i}`)));
  out.length = lines - 2;
  out.push('%runscript', '  exec /usr/local/bin/app "$@"');
  return out.join('\n') + '\n';
}

const text = bigDefinition(2000);
const uri = pathToFileURL(join(root, 'bench', 'big.def')).href;
const child = spawn(process.execPath, [join(root, 'bin', 'apptainer-gen.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
// version → { count: publishes wanted, arrivals, resolve }
const waiting = new Map();
connection.onNotification('textDocument/publishDiagnostics', (params) => {
  const entry = waiting.get(params.version);
  if (!entry) return;
  entry.arrivals.push({ at: performance.now(), count: params.diagnostics.length });
  if (entry.arrivals.length === entry.count) {
    waiting.delete(params.version);
    entry.resolve(entry.arrivals);
  }
});
connection.onRequest('client/registerCapability', () => null);
connection.listen();

await connection.sendRequest('initialize', {
  processId: process.pid,
  rootUri: null,
  capabilities: {},
  initializationOptions: { debounceMs: 0, shellcheck: false },
});
connection.sendNotification('initialized', {});

const published = (version, count) => new Promise((resolve) => waiting.set(version, { count, arrivals: [], resolve }));
const opened = published(1, 1);
const openStart = performance.now();
connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'apptainer', version: 1, text } });
const [first] = await opened;
console.log(`lsp: open of a 2,000-line file: diagnostics after ${(first.at - openStart).toFixed(1)} ms (${first.count} findings, includes warm-up)`);

const quickSamples = [];
const fullSamples = [];
for (let version = 2; version < edits + 2; version++) {
  // Alternate typing and deleting a character inside a %post line.
  const line = 5 + ((version * 14) % 1890);
  const change =
    version % 2 === 0
      ? { range: { start: { line, character: 2 }, end: { line, character: 2 } }, text: 'x' }
      : { range: { start: { line: line - 14, character: 2 }, end: { line: line - 14, character: 3 } }, text: '' };
  const arrived = published(version, 2);
  const start = performance.now();
  connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
  const [quick, full] = await arrived;
  quickSamples.push(quick.at - start);
  fullSamples.push(full.at - start);
}

function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
  return {
    median: at(0.5),
    text: `min ${sorted[0].toFixed(1)} ms, median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`,
  };
}
const quick = summary(quickSamples);
const full = summary(fullSamples);
const median = quick.median;
console.log(
  `lsp: didChange → first publishDiagnostics (syntax rules + moved findings), 2,000 lines, debounce 0, no ShellCheck: ` +
    `${quick.text} over ${quickSamples.length} edits (target: median < ${TARGET_MS} ms) ${median < TARGET_MS ? 'OK' : 'SLOW'}`,
);
console.log(`lsp: didChange → full lint publishDiagnostics, same file: ${full.text} (bounded by the linter itself)`);

await connection.sendRequest('shutdown');
connection.sendNotification('exit');
await new Promise((resolve) => child.on('exit', resolve));
// Report only (no failing exit code): timings on a shared, loaded machine vary too much.
