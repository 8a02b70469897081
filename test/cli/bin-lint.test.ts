// The installed launcher runs `lint` from the code-cached CommonJS bundle (bin/load-cli.js): check
// that path end to end, with a directory, a config file with overrides and a glob, since it
// bundles dependencies that the library build loads with import().
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../lsp/build.js';

const lintBin = join(ROOT, 'bin', 'apptainer-lint.js');
let dir: string;
let cache: string;

beforeAll(() => {
  // `npm test` builds the bundles first (`npm run build`); rebuilding here would race the other
  // test files that start the launcher.
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'bin-lint-'));
  cache = mkdtempSync(join(tmpdir(), 'bin-lint-cache-'));
  writeFileSync(join(dir, 'app.def'), 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    apt-get install curl\n');
  writeFileSync(join(dir, '.apptainer-lint.yaml'), 'overrides:\n  - files: "*.def"\n    rules:\n      DEF306: off\n');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

function lint(...args: string[]) {
  return lintWith({ XDG_CACHE_HOME: cache }, ...args);
}

function lintWith(env: NodeJS.ProcessEnv, ...args: string[]) {
  return lintIn(dir, env, ...args);
}

/** Runs the launcher with only `env` deciding where its cache goes. */
function lintIn(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]) {
  const base = { ...process.env };
  delete base.XDG_CACHE_HOME;
  delete base.APPTAINER_GEN_NO_CODE_CACHE;
  return spawnSync(process.execPath, [lintBin, '--no-shellcheck', '--format', 'json', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...base, ...env },
  });
}

describe('apptainer-lint launcher', () => {
  it('lints a directory under its config, twice (without and with the code cache), with the same result', () => {
    const first = lint('.');
    const second = lint('.');
    for (const run of [first, second]) {
      expect(run.stderr).toBe('');
      expect(run.status).toBe(1);
      const ids = (JSON.parse(run.stdout) as { ruleId: string }[]).map((f) => f.ruleId);
      expect(ids).toContain('DEF305');
      expect(ids).not.toContain('DEF306');
    }
    expect(second.stdout).toBe(first.stdout);
  });

  it('APPTAINER_LINT_TIMING prints the slowest rules to stderr after an unchanged report', () => {
    const plain = lint('.');
    const timed = lintWith({ XDG_CACHE_HOME: cache, APPTAINER_LINT_TIMING: '1' }, '.');
    expect(timed.status).toBe(plain.status);
    expect(timed.stdout).toBe(plain.stdout);
    const lines = timed.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Rule +\| Slug +\| Time \(ms\) \| Relative$/);
    const rows = lines.slice(2).map((line) => line.split('|').map((cell) => cell.trim()));
    expect(rows).toHaveLength(10);
    for (const [id, slug, ms, share] of rows) {
      expect(id).toMatch(/^DEF\d{3}$/);
      expect(slug).toMatch(/^[a-z0-9-]+$/);
      expect(ms).toMatch(/^\d+\.\d$/);
      expect(share).toMatch(/^\d+\.\d%$/);
    }
    const all = lintWith({ XDG_CACHE_HOME: cache, APPTAINER_LINT_TIMING: 'all' }, '.');
    expect(all.stderr.trimEnd().split('\n').length).toBeGreaterThan(12);
    expect(lintWith({ XDG_CACHE_HOME: cache, APPTAINER_LINT_TIMING: '' }, '.').stderr).toBe('');
  });

  it('expands globs and reports a bad config with exit code 2', () => {
    expect(lint('*.def').status).toBe(1);
    writeFileSync(join(dir, '.apptainer-lint.yaml'), 'bogus: 1\n');
    const bad = lint('app.def');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/\.apptainer-lint\.yaml:1:1: .*bogus/);
  });

  it('keeps one code cache: writing a new one deletes those of other versions, nothing else', () => {
    const own = mkdtempSync(join(tmpdir(), 'bin-lint-prune-'));
    try {
      const folder = join(own, 'apptainer-gen');
      mkdirSync(join(folder, 'shellcheck'), { recursive: true });
      writeFileSync(join(folder, 'cli-0.0.1-v18.0.0-1000-1.cache'), 'old');
      writeFileSync(join(folder, 'cli-0.0.1-v18.0.0-1000-1.cache.123.tmp'), 'left by a killed run');
      writeFileSync(join(folder, 'notes.txt'), 'not ours');
      writeFileSync(join(own, 'app.def'), 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    apt-get install curl\n');
      const run = lintIn(own, { XDG_CACHE_HOME: own }, 'app.def');
      expect(run.status, run.stderr).toBe(1);
      const names = readdirSync(folder).sort();
      const caches = names.filter((name) => name.startsWith('cli-'));
      expect(caches).toHaveLength(1);
      expect(caches[0]).toMatch(/^cli-\d+\.\d+\.\d+-v\d+\.\d+\.\d+-\d+-\d+\.cache$/);
      expect(caches[0]).not.toContain('0.0.1');
      expect(names).toContain('shellcheck');
      expect(names).toContain('notes.txt');
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('works, with the same result, when the cache folder cannot be created (home is not a folder)', () => {
    const own = mkdtempSync(join(tmpdir(), 'bin-lint-nohome-'));
    try {
      writeFileSync(join(own, 'app.def'), 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    apt-get install curl\n');
      const reference = lintIn(own, { XDG_CACHE_HOME: cache }, 'app.def');
      const notAFolder = join(own, 'home');
      writeFileSync(notAFolder, '');
      for (const env of [{ HOME: notAFolder }, { XDG_CACHE_HOME: join(notAFolder, 'cache') }, { HOME: '' }]) {
        const run = lintIn(own, env, 'app.def');
        expect(run.stderr, JSON.stringify(env)).toBe('');
        expect(run.status).toBe(1);
        expect(run.stdout).toBe(reference.stdout);
      }
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});
