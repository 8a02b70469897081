// End to end: the real `apptainer-gen lsp --stdio` process, driven over JSON-RPC.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFixes, lint } from '../../src/lint/index.js';
import { ensureBuilt } from './build.js';
import { applyEdits, startClient, type TestClient } from './client.js';

const BAD_DEF = [
  'BootStrap: docker', //                     0
  'From: alpine:3.19', //                     1
  '', //                                      2
  '%postt', //                                3  unknown section (DEF001, suggestion: rename)
  '  echo hi', //                             4
  '', //                                      5
  '%post', //                                 6
  '  # apptainer-lint ignore=DEF603', //      7
  '  apt-get install curl', //                8  apt-get install without -y (DEF305, safe fix)
  '',
].join('\n');

const STAGES_DEF = [
  'Bootstrap: docker', //       0
  'From: golang:1.22', //       1
  'Stage: build', //            2
  '', //                        3
  '%post', //                   4
  '  go build ./...', //        5
  '', //                        6
  'Bootstrap: docker', //       7
  'From: alpine:3.19', //       8
  'Mi', //                      9
  '', //                        10
  '%files from ', //            11
  '%', //                       12
  '%apprun tool', //            13
  '  exec tool "$@"', //        14
  '',
].join('\n');

let client: TestClient;
let dir: string;
let badUri: string;
let stagesUri: string;

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'apptainer-lsp-'));
  writeFileSync(join(dir, 'bad.def'), BAD_DEF);
  badUri = pathToFileURL(join(dir, 'bad.def')).href;
  stagesUri = pathToFileURL(join(dir, 'stages.def')).href;
  client = startClient();
  const result = (await client.connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(dir).href,
    capabilities: { workspace: { workspaceEdit: { documentChanges: true }, didChangeWatchedFiles: { dynamicRegistration: true } } },
    initializationOptions: { debounceMs: 20, shellcheck: false },
  })) as { capabilities: Record<string, unknown> };
  expect(result.capabilities.hoverProvider).toBe(true);
  await client.connection.sendNotification('initialized', {});
}, 300_000);

afterAll(() => {
  if (client && client.child.exitCode === null) client.child.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Diag = Awaited<ReturnType<TestClient['diagnostics']>>['diagnostics'][number];
let badDiagnostics: Diag[] = [];

describe('language server over stdio', () => {
  it('publishes diagnostics on open, with rule links', async () => {
    const published = client.diagnostics(badUri);
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: badUri, languageId: 'apptainer', version: 1, text: BAD_DEF },
    });
    const params = await published;
    expect(params.version).toBe(1);
    badDiagnostics = params.diagnostics;
    const unknown = badDiagnostics.find((d) => d.code === 'DEF001');
    expect(unknown).toBeDefined();
    expect(unknown!.severity).toBe(1);
    expect(unknown!.range.start.line).toBe(3);
    expect(unknown!.codeDescription?.href).toMatch(/DEF001/);
    expect(unknown!.source).toBe('apptainer-lint');
    const apt = badDiagnostics.find((d) => d.code === 'DEF306');
    expect(apt?.range.start.line).toBe(8);
    // The pragma on line 7 suppresses DEF603 (not triggered here) and nothing else.
    expect(badDiagnostics.every((d) => d.range.start.line !== 8 || d.code !== 'DEF603')).toBe(true);
  });

  it('answers a buffer over 8 MiB at once with one "not linted" diagnostic instead of blocking', async () => {
    const uri = pathToFileURL(join(dir, 'huge.def')).href;
    const text = `Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n${'    echo "a line of a very large post section"\n'.repeat(220_000)}`;
    expect(text.length).toBeGreaterThan(8 * 1024 * 1024);
    const published = client.diagnostics(uri);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'apptainer', version: 1, text } });
    const params = await published;
    expect(params.diagnostics).toHaveLength(1);
    expect(params.diagnostics[0].message).toMatch(/^Not linted: this file is larger than 8 MiB/);
    // The server still answers other requests for that document.
    const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 2 } });
    expect(hover).toBeDefined();
  }, 120_000);

  it('offers quick fixes: preferred for safe fixes, plain for suggestions', async () => {
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: badUri },
      range: { start: { line: 3, character: 0 }, end: { line: 8, character: 0 } },
      context: { diagnostics: badDiagnostics, only: ['quickfix'] },
    })) as { title: string; kind: string; isPreferred?: boolean; edit: { documentChanges: { textDocument: { version: number }; edits: never[] }[] } }[];
    const rename = actions.find((a) => a.title.includes('DEF001') && !a.title.startsWith('Ignore'));
    expect(rename?.title).toMatch(/^Suggestion: /);
    expect(rename?.isPreferred).toBe(false);
    const renamed = applyEdits(BAD_DEF, rename!.edit.documentChanges[0].edits);
    expect(renamed.split('\n')[3]).toBe('%post');
    const aptFix = actions.find((a) => a.title.includes('DEF305') && !a.title.startsWith('Ignore'));
    expect(aptFix?.isPreferred).toBe(true);
    expect(aptFix?.kind).toBe('quickfix');
    expect(aptFix?.edit.documentChanges[0].textDocument.version).toBe(1);
    expect(applyEdits(BAD_DEF, aptFix!.edit.documentChanges[0].edits)).toContain('apt-get install -y curl');
    const ignore = actions.find((a) => a.title === 'Ignore DEF305 in this file');
    expect(ignore?.isPreferred).toBe(false);
    expect(applyEdits(BAD_DEF, ignore!.edit.documentChanges[0].edits).split('\n')[0]).toBe('# apptainer-lint ignore-file=DEF305');
  });

  it('offers source.fixAll applying every safe fix but no suggestion', async () => {
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: badUri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as { kind: string; edit: { documentChanges: { edits: never[] }[] } }[];
    expect(actions).toHaveLength(1);
    expect(actions[0].kind).toBe('source.fixAll.apptainer-lint');
    const fixed = applyEdits(BAD_DEF, actions[0].edit.documentChanges[0].edits);
    // Exactly what one pass of `apptainer-lint --fix` would write.
    const findings = await lint(BAD_DEF, { filename: join(dir, 'bad.def'), shellcheck: false });
    expect(fixed).toBe(applyFixes(BAD_DEF, findings).output);
    expect(fixed).toContain('apt-get install -y curl');
    expect(fixed).not.toContain('--no-install-recommends'); // DEF306 is only a suggestion
    expect(fixed).toContain('%postt'); // the rename is only a suggestion
  });

  it('re-lints after a change', async () => {
    const next = client.diagnostics(badUri, (p) => p.version === 2);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: badUri, version: 2 },
      contentChanges: [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 6 } }, text: '%post' }],
    });
    const params = await next;
    expect(params.diagnostics.some((d) => d.code === 'DEF001')).toBe(false);
    expect(params.diagnostics.some((d) => d.code === 'DEF306')).toBe(true);
    badDiagnostics = params.diagnostics;
  });

  it('publishes every rule once per change, findings moved with the text (no ShellCheck to wait for)', async () => {
    const apt = badDiagnostics.find((d) => d.code === 'DEF306')!;
    const moved = client.diagnostics(badUri, (p) => p.version === 3);
    // Two new lines above the apt-get line.
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: badUri, version: 3 },
      contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: '\n\n' }],
    });
    const complete = (await moved).diagnostics;
    expect(complete.find((d) => d.code === 'DEF306')?.range.start).toEqual({ line: apt.range.start.line + 2, character: apt.range.start.character });
    // The same findings as before, moved two lines down (messages may name moved lines).
    const shifted = (d: Diag) => ({ code: d.code, line: d.range.start.line + 2, character: d.range.start.character });
    const at = (d: Diag) => ({ code: d.code, line: d.range.start.line, character: d.range.start.character });
    expect(complete.map(at)).toEqual(badDiagnostics.map(shifted));
    // Undo, so later tests see the original layout.
    const undone = client.diagnostics(
      badUri,
      (p) => p.version === 4 && p.diagnostics.some((d) => d.code === 'DEF306' && d.range.start.line === apt.range.start.line),
    );
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: badUri, version: 4 },
      contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 4, character: 0 } }, text: '' }],
    });
    await undone;
    // With ShellCheck off, the first publish of a version is already the whole lint: no second one.
    expect(client.received.filter(({ params }) => params.uri === badUri && params.version === 3)).toHaveLength(1);
  });

  it('picks up a config change without a restart', async () => {
    writeFileSync(join(dir, '.apptainer-lint.yaml'), 'rules:\n  apt-recommends: off\n');
    const next = client.diagnostics(badUri, (p) => !p.diagnostics.some((d) => d.code === 'DEF306'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(join(dir, '.apptainer-lint.yaml')).href, type: 1 }],
    });
    const params = await next;
    expect(params.diagnostics.some((d) => d.code === 'DEF306')).toBe(false);

    // Without a watcher notification, the config's new mtime is noticed on the next lint.
    writeFileSync(join(dir, '.apptainer-lint.yaml'), 'rules:\n  apt-recommends: error\n');
    const again = client.diagnostics(badUri, (p) => p.version === 5 && p.diagnostics.some((d) => d.code === 'DEF306'));
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: badUri, version: 5 },
      contentChanges: [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: ' ' }],
    });
    const errorLevel = (await again).diagnostics.find((d) => d.code === 'DEF306');
    expect(errorLevel?.severity).toBe(1);

    writeFileSync(join(dir, '.apptainer-lint.yaml'), 'rules: [not, a, map\n');
    const broken = client.diagnostics(badUri, (p) => p.version === 6 && p.diagnostics.some((d) => d.message.includes('.apptainer-lint.yaml')));
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: badUri, version: 6 },
      contentChanges: [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 1 } }, text: '' }],
    });
    const configProblem = (await broken).diagnostics.find((d) => d.message.includes('.apptainer-lint.yaml'));
    expect(configProblem?.severity).toBe(1);
    rmSync(join(dir, '.apptainer-lint.yaml'));
  });

  it('reports an unused pragma after a config change turned its rule off (pragma use is per run)', async () => {
    const uri = pathToFileURL(join(dir, 'pragma.def')).href;
    const text = 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n  # apptainer-lint ignore=DEF306\n  apt-get install -y curl\n';
    const unusedPragma = (p: { diagnostics: Diag[] }) => p.diagnostics.some((d) => d.code === 'DEF990');
    const opened = client.diagnostics(uri);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'apptainer', version: 1, text } });
    expect(unusedPragma(await opened)).toBe(false);

    writeFileSync(join(dir, '.apptainer-lint.yaml'), 'rules:\n  apt-recommends: off\n');
    const afterChange = client.diagnostics(uri, unusedPragma);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(join(dir, '.apptainer-lint.yaml')).href, type: 1 }],
    });
    const stale = (await afterChange).diagnostics.find((d) => d.code === 'DEF990');
    expect(stale?.range.start.line).toBe(4);

    rmSync(join(dir, '.apptainer-lint.yaml'));
    const restored = client.diagnostics(uri, (p) => !unusedPragma(p));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(join(dir, '.apptainer-lint.yaml')).href, type: 3 }],
    });
    await restored;
    const closed = client.diagnostics(uri, (p) => p.diagnostics.length === 0);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await closed;
  });

  it('hovers header keys, agents, sections and rule ids in pragmas', async () => {
    const hover = async (line: number, character: number) =>
      (
        (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: badUri }, position: { line, character } })) as {
          contents: { value: string };
        } | null
      )?.contents.value ?? '';
    expect(await hover(1, 1)).toContain('`From:`');
    expect(await hover(0, 13)).toContain('Bootstrap: docker');
    expect(await hover(6, 2)).toContain('inside the container');
    expect(await hover(7, 30)).toMatch(/DEF603 pip-cache/);
    expect(await hover(8, 5)).toBe('');
  });

  it('completes sections, header keys, agents and stage names', async () => {
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: stagesUri, languageId: 'apptainer', version: 1, text: STAGES_DEF },
    });
    const complete = async (line: number, character: number) =>
      (
        (await client.connection.sendRequest('textDocument/completion', {
          textDocument: { uri: stagesUri },
          position: { line, character },
        })) as { label: string; textEdit?: { newText: string } }[]
      ).map((item) => item.label);
    expect(await complete(11, 12)).toEqual(['build']);
    const sections = await complete(12, 1);
    expect(sections).toContain('%post');
    expect(sections).toContain('%appinstall');
    expect(sections).toContain('%arguments');
    const keys = await complete(9, 2);
    expect(keys).toContain('MirrorURL:');
    expect(keys).toContain('From:');
    // Inside a script body, a bare word is not a header key.
    expect(await complete(5, 4)).toEqual([]);
    const agents = (await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: badUri },
      position: { line: 0, character: 11 },
    })) as { label: string }[];
    expect(agents.map((a) => a.label)).toEqual(expect.arrayContaining(['docker', 'library', 'debootstrap', 'localimage']));
  });

  it('lists stages, sections and apps as document symbols, and folds sections', async () => {
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: stagesUri } })) as {
      name: string;
      children?: { name: string; children?: { name: string }[] }[];
    }[];
    expect(symbols.map((s) => s.name)).toEqual(['stage build', 'Bootstrap: docker']);
    expect(symbols[0].children?.map((c) => c.name)).toEqual(['%post']);
    const app = symbols[1].children?.find((c) => c.name === 'tool');
    expect(app?.children?.map((c) => c.name)).toEqual(['%apprun']);
    const folds = (await client.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri: stagesUri } })) as {
      startLine: number;
      endLine: number;
    }[];
    expect(folds).toEqual(
      expect.arrayContaining([
        { startLine: 4, endLine: 5 },
        { startLine: 13, endLine: 14 },
      ]),
    );
  });

  it('tags deprecated constructs', async () => {
    const uri = pathToFileURL(join(dir, 'shub.def')).href;
    const published = client.diagnostics(uri);
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'apptainer', version: 1, text: 'Bootstrap: shub\nFrom: user/image:1.0\n\n%runscript\n  exec app\n' },
    });
    const deprecated = (await published).diagnostics.find((d) => d.tags?.includes(2));
    expect(deprecated?.range.start.line).toBe(0);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  it('formats the document', async () => {
    const edits = (await client.connection.sendRequest('textDocument/formatting', {
      textDocument: { uri: badUri },
      options: { tabSize: 2, insertSpaces: true },
    })) as { range: never; newText: string }[];
    expect(edits).toHaveLength(1);
    expect(edits[0].newText.startsWith('Bootstrap: docker\nFrom: alpine:3.19\n')).toBe(true);
  });

  it('clears diagnostics on close and exits cleanly after shutdown', async () => {
    const cleared = client.diagnostics(stagesUri, (p) => p.diagnostics.length === 0);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: stagesUri } });
    await cleared;
    await client.connection.sendRequest('shutdown');
    await client.connection.sendNotification('exit');
    expect(await client.exitCode()).toBe(0);
  });
});
