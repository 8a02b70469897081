// ShellCheck never holds back the language server's own findings. A stand-in ShellCheck that does
// not answer until the test opens its gate shows the order: the rules' diagnostics are published
// while ShellCheck is still running (with its previous findings moved through the edit), and
// ShellCheck's fresh findings follow in a second publish for the same version.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeFakeShellCheck } from '../helpers/fake-shellcheck.js';
import { ensureBuilt } from './build.js';
import { startClient, type PublishedDiagnostics, type TestClient } from './client.js';

let client: TestClient;
let dir: string;
let gate: string;

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'apptainer-lsp-sc-'));
  gate = join(dir, 'gate');
  const fake = join(dir, 'shellcheck');
  // A version of its own, so no cached result of a real ShellCheck is used.
  writeFakeShellCheck(fake, {
    version: `0.0.0-gated-${process.pid}`,
    before: [`while [ ! -e '${gate}' ]; do sleep 0.02; done`],
    column: 5,
    endColumn: 12,
    level: 'warning',
    code: 2154,
    message: 'gated finding',
  });
  client = startClient({ ...process.env, APPTAINER_LINT_SHELLCHECK: fake, XDG_CACHE_HOME: join(dir, 'cache') });
  await client.connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    capabilities: {},
    initializationOptions: { debounceMs: 0, shellcheck: true },
  });
  await client.connection.sendNotification('initialized', {});
}, 300_000);

afterAll(() => {
  if (client && client.child.exitCode === null) client.child.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const codes = (p: PublishedDiagnostics) => p.diagnostics.map((d) => d.code);
const shellCheckLines = (p: PublishedDiagnostics) => p.diagnostics.filter((d) => d.source === 'shellcheck').map((d) => d.range.start.line);

it('publishes the rules before ShellCheck answers, on open and after an edit', async () => {
  const uri = pathToFileURL(join(dir, 'app.def')).href;
  const text = 'Bootstrap: docker\nFrom: ubuntu:24.04\n\n%post\n    apt-get install curl\n';
  const rulesFirst = client.diagnostics(uri, (p) => p.version === 1);
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'apptainer', version: 1, text } });
  const first = await rulesFirst;
  // ShellCheck is still waiting at its gate: the rules did not wait for it.
  expect(codes(first)).toContain('DEF305');
  expect(shellCheckLines(first)).toEqual([]);

  const withShellCheck = client.diagnostics(uri, (p) => p.version === 1 && shellCheckLines(p).length > 0);
  writeFileSync(gate, '');
  const complete = await withShellCheck;
  expect(codes(complete)).toContain('DEF305');
  expect(shellCheckLines(complete)).toEqual([4]);

  // Close the gate again and insert two lines above the command.
  rmSync(gate);
  const arrivals: PublishedDiagnostics[] = [];
  const both = client.diagnostics(uri, (p) => {
    if (p.version !== 2) return false;
    arrivals.push(p);
    if (arrivals.length === 1) writeFileSync(gate, ''); // let ShellCheck answer only now
    return arrivals.length === 2;
  });
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 2 },
    contentChanges: [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: '    true\n    true\n' }],
  });
  await both;
  const [moved, fresh] = arrivals;
  // First: the rules on the new text, and ShellCheck's previous finding moved with its line.
  expect(codes(moved).filter((code) => code === 'DEF305')).toHaveLength(1);
  expect(moved.diagnostics.find((d) => d.code === 'DEF305')?.range.start.line).toBe(6);
  expect(shellCheckLines(moved)).toEqual([6]);
  // Then ShellCheck's answer for the new text (the stand-in reports its second line).
  expect(shellCheckLines(fresh)).toEqual([4]);
  expect(codes(fresh)).toContain('DEF305');
});
