// How the lint command reads and names files. A plain lint reads each file through
// readTextBounded (one buffer shared from file to file, no fstat), since it keeps only the text;
// --fix and --fix-dry-run read the bytes (readFileBounded), which they need to leave a file that
// is not UTF-8 alone. Reports name a file as relative(cwd, resolve(path)) would, without the
// path normalisations for the plain paths a folder search gives.
import { writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as io from '../../src/cli/io.js';
import { displayPath, run } from '../../src/cli/commands/lint.js';
import { tempDir } from '../helpers/temp.js';

vi.mock('../../src/cli/io.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/cli/io.js')>();
  return { ...original, readTextBounded: vi.fn(original.readTextBounded), readFileBounded: vi.fn(original.readFileBounded) };
});

afterEach(() => {
  vi.mocked(io.readTextBounded).mockClear();
  vi.mocked(io.readFileBounded).mockClear();
});

async function lintCli(argv: string[]) {
  let stdout = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const code = await run(['--no-shellcheck', '--no-color', ...argv]);
  out.mockRestore();
  err.mockRestore();
  return { code, stdout };
}

const DEF = 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt install -y curl\n';

describe('lint command reads', () => {
  it('a plain lint reads the text of each file once, through the shared buffer', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ascii.def'), DEF);
    writeFileSync(join(dir, 'utf8.def'), `\ufeff${DEF}%labels\n    author Zoë 😀\n`);
    writeFileSync(join(dir, 'latin1.def'), Buffer.concat([Buffer.from(DEF), Buffer.from([0x23, 0x20, 0xe9, 0x0a])]));
    const { code, stdout } = await lintCli(['-f', 'json', dir]);
    expect(code).toBe(1);
    expect(vi.mocked(io.readTextBounded)).toHaveBeenCalledTimes(3);
    expect(vi.mocked(io.readFileBounded)).not.toHaveBeenCalled();
    const rows = JSON.parse(stdout) as { file: string; line: number }[];
    expect(new Set(rows.map((row) => row.file.split(/[\\/]/).pop()))).toEqual(new Set(['ascii.def', 'utf8.def', 'latin1.def']));
  });

  it('--fix-dry-run reads the bytes', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.def'), DEF);
    await lintCli(['--fix-dry-run', join(dir, 'a.def')]);
    expect(vi.mocked(io.readFileBounded)).toHaveBeenCalledTimes(1);
    expect(vi.mocked(io.readTextBounded)).not.toHaveBeenCalled();
  });
});

describe('displayPath', () => {
  const formula = (path: string) => {
    const rel = relative(process.cwd(), resolve(path));
    return (rel && !rel.startsWith('..') ? rel : path).split(sep).join('/');
  };

  it('names files as relative(cwd, resolve(path)) does, from any folder', () => {
    const names = ['a.def', 'x/b.def', '..a/c.def', '...', '.hidden/d.def', 'e.def/', 'f//g.def', './h.def', 'i/./j.def', 'k/../l.def', '.', '..', '../m.def'];
    for (const cwd of ['/', '/tmp', '/tmp/', '/tmp/work', '/tmp/work/..a']) {
      const spy = vi.spyOn(process, 'cwd').mockReturnValue(cwd);
      const paths = [
        ...names,
        ...names.map((name) => `/${name}`),
        ...names.map((name) => `${cwd.replace(/\/$/, '')}/${name}`),
        ...names.map((name) => `/tmp/${name}`),
        ...names.map((name) => `/tmp/workshop/${name}`),
        cwd,
        `${cwd}/`,
      ];
      for (const path of paths) expect(displayPath(path), `${path} from ${cwd}`).toBe(formula(path));
      spy.mockRestore();
    }
  });
});
