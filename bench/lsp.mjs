#!/usr/bin/env node
// Language-server latency (run after a build): a 2,000-line def file is opened in a real
// `apptainer-gen lsp --stdio` process (debounce 0, ShellCheck off) and edited one character at a
// time. After each didChange the server re-lints incrementally (the rules whose findings depend on
// one section re-run on the changed section only) and publishes every rule's findings once; with
// ShellCheck on, ShellCheck's findings would follow in a second publish. Measured:
//  - wall time from sending didChange to that publish (median and range; the client is this
//    process, so the figure includes JSON-RPC both ways), and the server's CPU time per edit
//    (from /proc, summed over all edits);
//  - in this process, CPU time of one parse + lint of the edited text: incremental (as the server
//    does it) and full (what every edit cost before), minimum and median over the same edits.
//   node bench/lsp.mjs [--edits N]          target: median < 20 ms
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

/** CPU time (ms) the server process used so far, from /proc (Linux); undefined elsewhere. */
function serverCpuMs() {
  const stat = `/proc/${child.pid}/stat`;
  if (!existsSync(stat)) return undefined;
  const fields = readFileSync(stat, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in 1/100 s ticks
}

/** The line the edit of `version` types into (even versions) or deletes from (odd: the previous version's line). */
const editLine = (version) => 5 + (((version % 2 === 0 ? version : version - 1) * 14) % 1890);

/** The bench's edits: alternately type a character into a %post line and delete it again. */
function editAt(version) {
  const line = editLine(version);
  return version % 2 === 0
    ? { range: { start: { line, character: 2 }, end: { line, character: 2 } }, text: 'x' }
    : { range: { start: { line, character: 2 }, end: { line, character: 3 } }, text: '' };
}

const samples = [];
const cpuBefore = serverCpuMs();
for (let version = 2; version < edits + 2; version++) {
  const arrived = published(version, 1);
  const start = performance.now();
  connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [editAt(version)] });
  const [publish] = await arrived;
  samples.push(publish.at - start);
}
const cpuAfter = serverCpuMs();

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
  return {
    median: at(0.5),
    text: `median ${at(0.5).toFixed(1)} ms (range ${sorted[0].toFixed(1)}–${sorted[sorted.length - 1].toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms)`,
  };
}
const wall = summary(samples);
const cpuPerEdit = cpuBefore === undefined ? '' : `; server CPU ${((cpuAfter - cpuBefore) / samples.length).toFixed(1)} ms per edit`;
console.log(
  `lsp: didChange → publishDiagnostics with every rule's findings, 2,000 lines, debounce 0, no ShellCheck: ` +
    `${wall.text} over ${samples.length} edits${cpuPerEdit} (target: median < ${TARGET_MS} ms) ${wall.median < TARGET_MS ? 'OK' : 'SLOW'}`,
);

await connection.sendRequest('shutdown');
connection.sendNotification('exit');
await new Promise((resolve) => child.on('exit', resolve));

// The same edits in this process, CPU time only (steadier than wall time on a loaded machine).
const { parse } = await import(pathToFileURL(join(root, 'dist/src/parse/index.js')).href);
const { lint, resolveConfig, SectionResults } = await import(pathToFileURL(join(root, 'dist/src/lint/index.js')).href);
const config = resolveConfig({});
const sectionResults = new SectionResults();
const lines = text.split('\n');
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const relint = async (current, keep) => {
  const start = cpuMs();
  await lint(current, { filename: 'big.def', config, shellcheck: false, parsed: parse(current, { filename: 'big.def' }), sectionResults: keep });
  return cpuMs() - start;
};
for (let round = 0; round < 5; round++) await relint(text, round % 2 ? sectionResults : undefined); // warm-up
const incremental = [];
const full = [];
for (let version = 2; version < edits + 2; version++) {
  const { range, text: inserted } = editAt(version);
  const line = lines[range.start.line];
  lines[range.start.line] = line.slice(0, range.start.character) + inserted + line.slice(range.end.character);
  const current = lines.join('\n');
  incremental.push(await relint(current, sectionResults));
  full.push(await relint(current, undefined));
}
const cpuText = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `min ${sorted[0].toFixed(1)} ms, median ${sorted[sorted.length >> 1].toFixed(1)} ms`;
};
console.log(`lsp: in-process CPU per edit (parse + lint), incremental: ${cpuText(incremental)}; full re-lint: ${cpuText(full)}`);
// Report only (no failing exit code): timings on a shared, loaded machine vary too much.
