// `apptainer-gen parse` as a whole process: its output over the corpus is exactly what the library's
// full parser gives (the command takes a lean path for apptainer-json, and runs the full parser
// without the grammar for diagnostics and --format json), and its start-up loads the Node
// built-ins that only the lint command's code cache needs (v8, vm, os) only when it runs lint.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apptainerJson } from '../../src/cli/commands/parse.js';
import { parse } from '../../src/parse/index.js';
import { corpusDir, corpusFiles, readCorpusFile } from '../helpers/corpus.js';
import { ensureBuilt, ROOT } from '../lsp/build.js';

let dir: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'parse-startup-'));
  writeFileSync(join(dir, 'app.def'), 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    true\n');
  // Prints the built-in modules the process loaded, as it exits.
  writeFileSync(join(dir, 'hook.cjs'), "process.on('exit', () => require('fs').writeSync(2, JSON.stringify(process.moduleLoadList)));\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function builtinsLoaded(...args: string[]): string[] {
  const run = spawnSync(process.execPath, ['--require', join(dir, 'hook.cjs'), ...args], { cwd: dir, encoding: 'utf8' });
  expect(run.status).toBe(0);
  return JSON.parse(run.stderr) as string[];
}

const GEN = join(ROOT, 'bin', 'apptainer-gen.js');

describe('apptainer-gen parse over the corpus', () => {
  const names = corpusFiles();
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [GEN, 'parse', ...args, ...names], { cwd: join(corpusDir, 'files'), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  // What the command prints on stderr for a file: the full parser's diagnostics.
  const diagnosticLines = (name: string, diagnostics: ReturnType<typeof parse>['diagnostics']) =>
    diagnostics.map((d) => `${name}:${d.range.start.line}:${d.range.start.column}: ${d.severity}: ${d.message} [${d.code}]\n`).join('');

  it.skipIf(names.length === 0)("apptainer-json: the full parser's result and diagnostics, file for file", () => {
    const out = run('--format', 'apptainer-json');
    let stdout = '';
    let stderr = '';
    for (const name of names) {
      const parsed = parse(readCorpusFile(name));
      stdout += JSON.stringify(apptainerJson(name, parsed.apptainer)) + '\n';
      // Printed only for files Apptainer rejects or that hold a byte order mark (an accepted file
      // has no other diagnostics: test/parse/apptainer-result.test.ts).
      if (!parsed.apptainer.ok || parsed.text.includes('\ufeff')) stderr += diagnosticLines(name, parsed.diagnostics);
    }
    expect(out.stdout).toBe(stdout);
    expect(out.stderr).toBe(stderr);
    expect(out.status).toBe(1);
  });

  it.skipIf(names.length === 0)('json: the full model without the syntax tree, file for file', () => {
    const out = run('--format', 'json');
    let stdout = '';
    for (const name of names) {
      const { filename, stages, diagnostics, apptainer } = parse(readCorpusFile(name), { filename: name });
      stdout += JSON.stringify({ file: name, filename, stages, diagnostics, apptainer }) + '\n';
    }
    expect(out.stdout).toBe(stdout);
  });
});

describe('parse start-up', () => {
  it('does not load the lint launcher built-ins', () => {
    const loaded = builtinsLoaded(join(ROOT, 'bin', 'apptainer-gen.js'), 'parse', 'app.def');
    for (const name of ['NativeModule v8', 'NativeModule vm', 'NativeModule os']) expect(loaded).not.toContain(name);
  });
});
