// The generated %test really fails when the truth is missing: its shell runs here, under sh, on
// real ELF files built with gcc (one of them linked to a library that is then deleted).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { outputMustMatch, fileMustExist } from '../../src/generate/blocks/block.js';
import { mustGenerate } from './helpers.js';

const hasGcc = spawnSync('gcc', ['--version']).status === 0;
let dir = '';

function sh(script: string) {
  return spawnSync('sh', ['-c', `set -e\n${script}`], { encoding: 'utf8' });
}

/** The ldd block of a generated %test, pointed at `root` instead of /opt/app. */
function lddBlock(gpu: 'none' | 'nvidia', root: string): string {
  const recipe = { apiVersion: 'apptainer-gen/v1', name: 'app', base: { image: 'ubuntu:22.04' }, gpu: { vendor: gpu }, app: { build: { script: 'true\n' } } };
  const { def } = mustGenerate(stringify(recipe));
  const test = def.slice(def.indexOf('%test'), def.indexOf('%labels'));
  const start = test.indexOf('# Every ELF file');
  const end = test.indexOf('\n', test.indexOf('echo "ok: shared libraries'));
  expect(start).toBeGreaterThan(0);
  return test.slice(start, end).replaceAll('/opt/app', root);
}

/** Builds bin/NAME linked against a library LIB that is deleted afterwards. */
function brokenProgram(root: string, name: string, lib: string): void {
  const work = join(dir, `work-${name}`);
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'gone.c'), 'int gone(void) { return 0; }\n');
  writeFileSync(join(work, 'main.c'), 'int gone(void);\nint main(void) { return gone(); }\n');
  expect(spawnSync('gcc', ['-shared', '-fPIC', '-o', join(work, lib), join(work, 'gone.c'), `-Wl,-soname,${lib}`]).status).toBe(0);
  expect(spawnSync('gcc', ['-o', join(root, 'bin', name), join(work, 'main.c'), join(work, lib)]).status).toBe(0);
  rmSync(work, { recursive: true });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'apptainer-gen-test-section-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasGcc)('generated ldd check', () => {
  it('passes when every ELF file resolves, fails naming the file and the library otherwise', () => {
    const root = join(dir, 'ok');
    mkdirSync(join(root, 'bin'), { recursive: true });
    copyFileSync('/bin/ls', join(root, 'bin', 'ls'));
    const good = sh(lddBlock('none', root));
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);

    brokenProgram(root, 'bad', 'libgone.so.1');
    const bad = sh(lddBlock('none', root));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(`${join(root, 'bin', 'bad')}: libgone.so.1`);
  });

  it('lets GPU driver libraries (bound in by --nv) be missing, and only those', () => {
    const root = join(dir, 'gpu');
    mkdirSync(join(root, 'bin'), { recursive: true });
    brokenProgram(root, 'cuda-app', 'libcuda.so.1');
    expect(sh(lddBlock('nvidia', root)).status).toBe(0);
    expect(sh(lddBlock('none', root)).status).toBe(1);
  });

  it('fails when an install prefix is missing instead of testing nothing', () => {
    const run = sh(lddBlock('none', join(dir, 'does-not-exist')));
    expect(run.status).not.toBe(0);
  });
});

describe('feature checks', () => {
  it('outputMustMatch passes on a matching line and fails otherwise (and when the command fails)', () => {
    const check = (command: string) => sh(outputMustMatch(command, 'MCA pmix: (ext|pmix)[0-9]+x', 'PMIx support').join('\n'));
    expect(check("printf '  MCA pmix: ext3x (MCA v2.1.0)\\n'").status).toBe(0);
    expect(check("printf '  MCA pmix: s2\\n  configure: --with-pmix\\n'").status).toBe(1);
    expect(check('false').status).toBe(1);
  });

  it('fileMustExist looks for a module file', () => {
    const mods = join(dir, 'ucx');
    mkdirSync(mods, { recursive: true });
    writeFileSync(join(mods, 'libuct_ib.so.0'), '');
    expect(sh(fileMustExist(mods, 'libuct_ib.so*', 'ib').join('\n')).status).toBe(0);
    expect(sh(fileMustExist(mods, 'libuct_cuda.so*', 'cuda').join('\n')).status).toBe(1);
  });
});
