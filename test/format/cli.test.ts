// `apptainer-gen fmt` as users run it: the built CLI in a child process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ensureBuilt } from '../lsp/build.js';

const MESSY = 'BootStrap:docker\nfrom:  alpine:3.19\n%labels\n  Author me  \n';
const TIDY = 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n  Author me\n';

let dir: string;
const fmt = (args: string[], input?: string) => spawnSync(process.execPath, [BIN, 'fmt', ...args], { cwd: dir, encoding: 'utf8', input, timeout: 60_000 });

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'apptainer-fmt-'));
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('apptainer-gen fmt', () => {
  it('prints the formatted text of one file', () => {
    writeFileSync(join(dir, 'a.def'), MESSY);
    const result = fmt(['a.def']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(TIDY);
    expect(readFileSync(join(dir, 'a.def'), 'utf8')).toBe(MESSY);
  });

  it('reads stdin with -', () => {
    const result = fmt(['-'], MESSY);
    expect(result.stdout).toBe(TIDY);
  });

  it('--check lists files that would change and exits 1; 0 when all are formatted', () => {
    writeFileSync(join(dir, 'a.def'), MESSY);
    writeFileSync(join(dir, 'b.def'), TIDY);
    const failing = fmt(['--check', 'a.def', 'b.def']);
    expect(failing.status).toBe(1);
    expect(failing.stdout).toBe('a.def\n');
    expect(readFileSync(join(dir, 'a.def'), 'utf8')).toBe(MESSY);
    const passing = fmt(['--check', 'b.def']);
    expect(passing.status).toBe(0);
    expect(passing.stdout).toBe('');
  });

  it('--write rewrites changed files in place, keeping their mode, and leaves no temp files', () => {
    writeFileSync(join(dir, 'a.def'), MESSY);
    chmodSync(join(dir, 'a.def'), 0o640);
    writeFileSync(join(dir, 'b.def'), TIDY);
    const before = statSync(join(dir, 'b.def')).mtimeMs;
    const result = fmt(['--write', 'a.def', 'b.def']);
    expect(result.status).toBe(0);
    expect(readFileSync(join(dir, 'a.def'), 'utf8')).toBe(TIDY);
    expect(statSync(join(dir, 'a.def')).mode & 0o777).toBe(0o640);
    expect(statSync(join(dir, 'b.def')).mtimeMs).toBe(before);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(fmt(['--check', 'a.def']).status).toBe(0);
  });

  it('reports usage and input errors with exit code 2', () => {
    expect(fmt([]).status).toBe(2);
    expect(fmt(['--bogus', 'a.def']).status).toBe(2);
    expect(fmt(['a.def', 'b.def']).status).toBe(2);
    const missing = fmt(['--check', 'missing.def']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^missing\.def:1:1: cannot read file/m);
  });
});
