// What the launchers (bin/) load to start `lint` and the generator (issue 15, cold start): the
// launchers are CommonJS (bin/package.json), so neither command starts Node's ES-module loader;
// dist/bundle/cli.cjs holds the lint command alone (src/cli/lint-main.ts) and
// dist/bundle/generate.cjs the generator alone (src/cli/generate-main.ts), each run with its own V8
// code cache, and a copy of the package with nothing else of the build runs them.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../lsp/build.js';
import { packageCopyWith } from '../helpers/package-copy.js';
import { LINT_TURBOFAN_AFTER_BYTES } from '../../src/cli/batch-tuning.js';

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

  it('lint runs on baseline code, lets TurboFan in after LINT_TURBOFAN_AFTER_BYTES, and its code cache still matches the next run', () => {
    const own = mkdtempSync(join(tmpdir(), 'launcher-turbofan-'));
    try {
      const withCache = { ...env(), XDG_CACHE_HOME: own };
      // A file past the limit that lints quickly: its size is help text.
      const long = join(own, 'long.def');
      const line = '    Some help text for this container.\n';
      writeFileSync(long, DEF + '\n%help\n' + line.repeat(Math.ceil(LINT_TURBOFAN_AFTER_BYTES / line.length) + 1000));
      // --trace-opt reports on stdout (the lint report goes there too), a line per function V8
      // decides to optimise with TurboFan, as it decides (the compiling itself is on another thread).
      const turbofanDecisions = (...files: string[]) => {
        const out = spawnSync(process.execPath, ['--trace-opt', LINT, '--no-shellcheck', ...files], {
          cwd: dir,
          env: withCache,
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        });
        expect(out.status, out.stderr).toBe(1);
        return [...out.stdout.matchAll(/for optimization to TURBOFAN/g)].length;
      };
      const cacheFile = () => join(own, 'apptainer-gen', readdirSync(join(own, 'apptainer-gen'))[0]);
      // The long run writes the cache (none yet), after TurboFan was let back in.
      expect(turbofanDecisions(long)).toBeGreaterThan(0);
      const written = statSync(cacheFile());
      // A short run over 300 small files (with TurboFan allowed, V8 optimises about a hundred
      // functions in it): nothing optimised, and the cache read, not rejected and rewritten.
      const many = join(own, 'many');
      mkdirSync(many);
      for (let i = 0; i < 300; i++)
        writeFileSync(join(many, `${i}.def`), `${DEF}    curl -fsSL https://example.org/a-${i}.tar.gz | tar xz\n    make -C /opt/a install\n`);
      expect(turbofanDecisions(many)).toBe(0);
      const after = statSync(cacheFile());
      expect({ ino: after.ino, mtimeMs: after.mtimeMs }).toEqual({ ino: written.ino, mtimeMs: written.mtimeMs });
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('runs from a copy of the package with only the launchers, cli.cjs and the WebAssembly files', () => {
    const pkg = packageCopyWith(['dist/bundle/cli.cjs', 'dist/wasm'], 'lint-bundle-');
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
  });
});

const RECIPE = join(ROOT, 'fixtures', 'recipes', 'openmpi-pmix.yaml');

/** The generator as it ran before it had its own bundle: main.js, the ES-module CLI. */
function generateThroughMain(args: string[], input?: string) {
  const main = join(ROOT, 'dist', 'bundle', 'main.js');
  const script = `import(${JSON.stringify(main)}).then(({ main }) => main(${JSON.stringify(args)})).then((code) => { process.exitCode = code; })`;
  return spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8', env: env(), input });
}

describe('generator start-up', () => {
  it('runs without the ES-module loader, with and without a code cache, as main.js does', () => {
    const recipe = readFileSync(RECIPE, 'utf8');
    for (const args of [[RECIPE], ['generate', RECIPE], [RECIPE], ['-'], ['generate', '-']]) {
      const input = args.includes('-') ? recipe : undefined;
      const reference = generateThroughMain(args, input);
      expect(reference.status).toBe(0);
      expect(reference.stdout).toContain('Bootstrap:');
      if (!input) expect(loadedBy(GEN, ...args)).not.toContain(ESM_LOADING);
      const out = run(GEN, args, input);
      expect(out.stderr).toBe(reference.stderr);
      expect(out.status).toBe(0);
      expect(out.stdout).toBe(reference.stdout);
    }
  });

  it('reports a bad recipe and usage errors as main.js does', () => {
    writeFileSync(join(dir, 'bad.yaml'), 'name: x\nmpi: { implementation: openmpi, version: 4 }\nbogus: 1\n');
    for (const args of [['bad.yaml'], ['generate', 'bad.yaml'], ['generate', '--nope', 'bad.yaml'], ['generate', '--help'], ['missing.yaml']]) {
      const reference = generateThroughMain(args);
      const out = run(GEN, args);
      expect(out.stderr, args.join(' ')).toBe(reference.stderr);
      expect(out.stdout, args.join(' ')).toBe(reference.stdout);
      expect(out.status, args.join(' ')).toBe(reference.status);
    }
  });

  it("keeps one code cache per command: a lint run and a generator run do not delete each other's", () => {
    const own = mkdtempSync(join(tmpdir(), 'launcher-caches-'));
    try {
      const withCache = { ...env(), XDG_CACHE_HOME: own };
      for (const args of [
        [LINT, '--no-shellcheck', 'app.def'],
        [GEN, RECIPE],
      ]) {
        spawnSync(process.execPath, args, { cwd: dir, env: withCache, stdio: 'ignore' });
      }
      const names = readdirSync(join(own, 'apptainer-gen')).sort();
      expect(names).toHaveLength(2);
      expect(names[0]).toMatch(/^cli-\d+\.\d+\.\d+-v[\d.]+-\d+-\d+\.cache$/);
      expect(names[1]).toMatch(/^generate-\d+\.\d+\.\d+-v[\d.]+-\d+-\d+\.cache$/);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('writes no code cache after --help, --version or a usage error, and writes one after a lint', () => {
    const own = mkdtempSync(join(tmpdir(), 'launcher-thin-cache-'));
    try {
      const withCache = { ...env(), XDG_CACHE_HOME: own };
      const cacheFiles = () => {
        try {
          return readdirSync(join(own, 'apptainer-gen'));
        } catch {
          return [];
        }
      };
      for (const args of [
        [LINT, '--version'],
        [LINT, '-v'],
        [LINT, '--help'],
        [LINT, '--no-such-flag', 'app.def'],
        [GEN, '--help'],
        [GEN, 'missing-recipe.yaml'],
      ]) {
        spawnSync(process.execPath, args, { cwd: dir, env: withCache, stdio: 'ignore' });
        expect(cacheFiles(), args.slice(1).join(' ')).toEqual([]);
      }
      const out = spawnSync(process.execPath, [LINT, '--no-shellcheck', 'app.def'], { cwd: dir, env: withCache, encoding: 'utf8' });
      expect(out.status).toBe(1);
      expect(cacheFiles()).toHaveLength(1);
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('runs from a copy of the package with only the launchers and generate.cjs', () => {
    const pkg = packageCopyWith(['dist/bundle/generate.cjs'], 'generate-bundle-');
    const reference = generateThroughMain([RECIPE]);
    for (const args of [[RECIPE], ['generate', RECIPE], [RECIPE]]) {
      const out = run(join(pkg, 'bin', 'apptainer-gen.js'), args);
      expect(out.stderr).toBe(reference.stderr);
      expect(out.status).toBe(0);
      expect(out.stdout).toBe(reference.stdout);
    }
  });
});
