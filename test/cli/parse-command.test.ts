// `apptainer-gen parse` as a whole process: its output over the corpus is exactly what the library's
// full parser gives (the command takes a lean path for apptainer-json, and runs the full parser
// without the grammar for diagnostics and --format json), and its start-up loads the Node
// built-ins that only the lint command's code cache needs (v8, vm, os) only when it runs lint;
// a run over many files keeps V8 on its baseline code (src/cli/batch-tuning.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tuneForBatch, TURBOFAN_AFTER_BYTES } from '../../src/cli/batch-tuning.js';
import { apptainerJson } from '../../src/cli/commands/parse.js';
import { parseApptainerResult } from '../../src/parse/apptainer-result.js';
import { parse } from '../../src/parse/index.js';
import { corpusDir, corpusFiles, readCorpusFile } from '../helpers/corpus.js';
import { defPiece } from '../helpers/def-like.js';
import { packageCopyWith } from '../helpers/package-copy.js';
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

  it('runs from dist/bundle/parse.js alone (one module: no main.js, no chunks), files and standard input', () => {
    // A copy of the package with only the launcher and the parse bundle: the run fails if the
    // launcher or the bundle reaches for any other module of the build.
    const pkg = packageCopyWith(['dist/bundle/parse.js'], 'parse-bundle-');
    writeFileSync(join(dir, 'bad.def'), 'Bootstrap: docker\n%pots\n  true\n');
    const stdin = 'Bootstrap: docker\nFrom: debian\n%labels\n  a b\n';
    const out = spawnSync(process.execPath, [join(pkg, 'bin', 'apptainer-gen.js'), 'parse', 'app.def', '-', 'bad.def', 'missing.def'], {
      cwd: dir,
      encoding: 'utf8',
      input: stdin,
    });
    const texts: [string, string][] = [
      ['app.def', 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    true\n'],
      ['<stdin>', stdin],
      ['bad.def', 'Bootstrap: docker\n%pots\n  true\n'],
    ];
    expect(out.stdout).toBe(texts.map(([name, text]) => JSON.stringify(apptainerJson(name, parse(text).apptainer)) + '\n').join(''));
    expect(out.stderr).toBe('bad.def:2:2: error: unknown section "%pots" [DEF001]\napptainer-gen parse: missing.def: no such file or directory\n');
    expect(out.status).toBe(2);
  });
});

describe('parse output encoding', () => {
  // The command copies the line of an ASCII file with an ASCII name byte for byte instead of
  // encoding it as UTF-8: that holds only while such a line is ASCII.
  // eslint-disable-next-line no-control-regex -- every character above ASCII
  const nonAscii = /[^\x00-\x7f]/;
  const asciiLine = (text: string) => {
    if (nonAscii.test(text)) return;
    expect(JSON.stringify(apptainerJson('x.def', parseApptainerResult(text)))).not.toMatch(nonAscii);
  };

  it('an ASCII file gives an ASCII line (corpus)', () => {
    for (const name of corpusFiles()) asciiLine(readCorpusFile(name));
  });

  it('an ASCII file gives an ASCII line (def-like text, errors included)', () => {
    const ascii = defPiece('%files', '%appinstall', '%apprun x', '%foo', 'Stage: s', 'Key: \\', ' \\n\\', '"', '\u0001', '\x7f');
    const text = fc.array(fc.oneof(ascii, fc.string({ maxLength: 5 })), { maxLength: 50 }).map((parts) => parts.join(''));
    fc.assert(fc.property(text, asciiLine), { numRuns: 3000 });
  });

  it('non-ASCII names and text are written as UTF-8', () => {
    const files = {
      'ünï.def': 'Bootstrap: docker\nFrom: alpine\n',
      'plain.def': 'Bootstrap: docker\nFrom: alpine\n%labels\n  author Zoë 😀\n',
      'bad.def': '%pöst\n  x\n',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const names = Object.keys(files);
    const out = spawnSync(process.execPath, [GEN, 'parse', ...names], { cwd: dir, encoding: 'utf8' });
    const expected = names.map((name) => JSON.stringify(apptainerJson(name, parse(files[name as keyof typeof files]).apptainer)) + '\n').join('');
    expect(out.stdout).toBe(expected);
  });
});

describe('V8 settings for a run over many files', () => {
  it('turns the optimising compiler off, keeps the young generation small, and turns the compiler on after TURBOFAN_AFTER_BYTES', () => {
    const flags: string[] = [];
    const counted = tuneForBatch((f) => flags.push(f));
    expect(flags).toEqual(['--max-opt=1', '--semi-space-growth-factor=1']);
    counted(TURBOFAN_AFTER_BYTES / 2);
    counted(TURBOFAN_AFTER_BYTES / 2);
    expect(flags).toHaveLength(2);
    counted(1);
    counted(TURBOFAN_AFTER_BYTES);
    expect(flags).toEqual(['--max-opt=1', '--semi-space-growth-factor=1', '--max-opt=999', '--turbofan']);
  });

  it('lets TurboFan back in for real once the limit is read (V8 itself, in a child process)', () => {
    // `--max-opt=1` also turns `--turbofan` off, and `--max-opt=999` alone left it off: no
    // function was optimised again. Bit 64 of %GetOptimizationStatus: optimised by TurboFan.
    const module = join(ROOT, 'dist', 'src', 'cli', 'batch-tuning.js');
    const script = [
      "import v8 from 'node:v8';",
      `import { turbofanAfter } from ${JSON.stringify(module)};`,
      "v8.setFlagsFromString('--max-opt=1');",
      'const noteRead = turbofanAfter(10, (flags) => v8.setFlagsFromString(flags));',
      'const turbofanned = () => { function f(x) { return x + 1; } %PrepareFunctionForOptimization(f); f(1); f(2); %OptimizeFunctionOnNextCall(f); f(3); return (%GetOptimizationStatus(f) & 64) !== 0; };',
      'const before = turbofanned();',
      'noteRead(10);',
      'const atLimit = turbofanned();',
      'noteRead(1);',
      'console.log(JSON.stringify({ before, atLimit, after: turbofanned() }));',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ before: false, atLimit: false, after: true });
  });

  it.skipIf(corpusFiles().length === 0)('the corpus in one run: none of the parser functions is optimised by TurboFan', () => {
    const run = spawnSync(process.execPath, ['--trace-opt', GEN, 'parse', ...corpusFiles()], {
      cwd: join(corpusDir, 'files'),
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    // --trace-opt reports on stdout, between the output's pieces.
    const optimised = [...run.stdout.matchAll(/\[completed compiling \S+ <JSFunction (\S+) .*target TURBOFAN/g)].map((m) => m[1]);
    const parserFunctions = [
      'isGoSpace',
      'trimBounds',
      'lineContentEnd',
      'lineNext',
      'indexWithin',
      'addScript',
      'script',
      'utf8Length',
      'readHeader',
      'readSection',
      'sectionLines',
    ];
    expect(optimised.filter((name) => parserFunctions.includes(name))).toEqual([]);
  });
});
