// What the launchers (bin/) load to start `lint` (issue 15, cold start): the launchers are CommonJS
// (bin/package.json), so a lint run never starts Node's ES-module loader, and dist/bundle/cli.cjs,
// the code-cached bundle, holds the lint command alone (src/cli/lint-main.ts), which a copy of the
// package with nothing else of the build runs.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../lsp/build.js';

const DEF = 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    apt-get install curl\n';
let dir: string;
let cache: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'launcher-start-'));
  cache = mkdtempSync(join(tmpdir(), 'launcher-start-cache-'));
  writeFileSync(join(dir, 'app.def'), DEF);
  // Writes the built-in modules the process loaded to $LOADED, as it exits.
  writeFileSync(join(dir, 'hook.cjs'), "process.on('exit', () => require('fs').writeFileSync(process.env.LOADED, JSON.stringify(process.moduleLoadList)));\n");
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

function env(): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, XDG_CACHE_HOME: cache };
  delete base.APPTAINER_GEN_NO_CODE_CACHE;
  return base;
}

function run(bin: string, args: string[], input?: string) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env: env(), input });
}

function loadedBy(bin: string, ...args: string[]): string[] {
  const loaded = join(dir, 'loaded.json');
  const out = spawnSync(process.execPath, ['--require', join(dir, 'hook.cjs'), bin, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...env(), LOADED: loaded },
  });
  expect(out.stderr).toBe('');
  return JSON.parse(readFileSync(loaded, 'utf8')) as string[];
}

const LINT = join(ROOT, 'bin', 'apptainer-lint.js');
const GEN = join(ROOT, 'bin', 'apptainer-gen.js');
// Loaded only once an ES module is: the launcher or a bundle going through the ES-module loader.
const ESM_LOADING = 'NativeModule internal/modules/esm/translators';

describe('lint start-up', () => {
  it('runs without the ES-module loader, from both launchers, with and without a code cache', () => {
    for (const [bin, args] of [
      [LINT, ['--no-shellcheck', 'app.def']],
      [GEN, ['lint', '--no-shellcheck', 'app.def']],
      [LINT, ['--no-shellcheck', 'app.def']],
    ] as const) {
      expect(loadedBy(bin, ...args)).not.toContain(ESM_LOADING);
    }
    // The other commands still run their ES-module bundles.
    expect(loadedBy(GEN, 'parse', 'app.def')).toContain(ESM_LOADING);
  });

  it('dist/bundle/cli.cjs is the lint command alone: its main takes lint arguments', () => {
    const bundle = join(ROOT, 'dist', 'bundle', 'cli.cjs');
    // `main.ts` would take 'app.def' for an unknown command (exit code 2); lint finds problems.
    const out = spawnSync(
      process.execPath,
      ['-e', `require(${JSON.stringify(bundle)}).main(['--no-shellcheck', '--format', 'json', 'app.def']).then((code) => { process.exitCode = code; })`],
      { cwd: dir, encoding: 'utf8', env: env() },
    );
    expect(out.stderr).toBe('');
    expect(out.status).toBe(1);
    expect((JSON.parse(out.stdout) as { ruleId: string }[]).map((f) => f.ruleId)).toContain('DEF305');
  });

  it('runs from a copy of the package with only the launchers, cli.cjs and the WebAssembly files', () => {
    const pkg = mkdtempSync(join(tmpdir(), 'lint-bundle-'));
    try {
      mkdirSync(join(pkg, 'bin'));
      mkdirSync(join(pkg, 'dist', 'bundle'), { recursive: true });
      mkdirSync(join(pkg, 'dist', 'wasm'));
      for (const name of ['apptainer-gen.js', 'apptainer-lint.js', 'load-cli.js', 'package.json'])
        copyFileSync(join(ROOT, 'bin', name), join(pkg, 'bin', name));
      copyFileSync(join(ROOT, 'dist', 'bundle', 'cli.cjs'), join(pkg, 'dist', 'bundle', 'cli.cjs'));
      for (const name of readdirSync(join(ROOT, 'dist', 'wasm'))) copyFileSync(join(ROOT, 'dist', 'wasm', name), join(pkg, 'dist', 'wasm', name));
      copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
      const args = ['--no-shellcheck', '--format', 'json', 'app.def', '-'];
      const reference = run(LINT, args, DEF);
      expect(reference.status).toBe(1);
      expect(reference.stdout).toContain('DEF305');
      for (const out of [
        run(join(pkg, 'bin', 'apptainer-lint.js'), args, DEF),
        run(join(pkg, 'bin', 'apptainer-gen.js'), ['lint', ...args], DEF),
        run(join(pkg, 'bin', 'apptainer-lint.js'), args, DEF),
      ]) {
        expect(out.stderr).toBe('');
        expect(out.status).toBe(1);
        expect(out.stdout).toBe(reference.stdout);
      }
    } finally {
      rmSync(pkg, { recursive: true, force: true });
    }
  });
});
