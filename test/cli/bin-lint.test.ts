// The installed launcher runs `lint` from the code-cached CommonJS bundle (bin/load-cli.js): check
// that path end to end, with a directory, a config file with overrides and a glob, since it
// bundles dependencies that the library build loads with import().
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  return spawnSync(process.execPath, [lintBin, '--no-shellcheck', '--format', 'json', ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, XDG_CACHE_HOME: cache },
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

  it('expands globs and reports a bad config with exit code 2', () => {
    expect(lint('*.def').status).toBe(1);
    writeFileSync(join(dir, '.apptainer-lint.yaml'), 'bogus: 1\n');
    const bad = lint('app.def');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/\.apptainer-lint\.yaml:1:1: .*bogus/);
  });
});
