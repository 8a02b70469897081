// The package as a site installs it: `npm pack`, then `npm install -g --prefix <empty dir>` of the
// tarball with an empty npm cache and `--offline` (the tarball must be the whole tool: no
// dependencies, no install scripts, no devDependencies), then every `$ ` command of the README's
// console blocks, run with the installed binaries only. Slow suite (`npm run test:slow`).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, packWorkingTree, ROOT, run as runAsync, VERSION as version } from './pack.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** Every `$ command` line of the README's ```console blocks, without its trailing `# comment`. */
function readmeCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const block of markdown.matchAll(/```console\n([\s\S]*?)```/g)) {
    for (const line of block[1].split('\n')) {
      if (line.startsWith('$ '))
        commands.push(
          line
            .slice(2)
            .replace(/\s+#.*$/, '')
            .trim(),
        );
    }
  }
  return commands;
}

function du(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + du(join(path, name)), 0);
}

describe('the packed package, installed into an empty prefix', () => {
  let temp: string;
  let tarball: string;
  let prefix: string;
  let installOutput: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    temp = mkdtempSync(join(tmpdir(), 'apptainer-install-'));
    tarball = packWorkingTree(temp);
    prefix = join(temp, 'prefix');
    mkdirSync(prefix);
    env = cleanEnv({ npm_config_cache: join(temp, 'npm-cache'), HOME: join(temp, 'home') });
    const install = spawnSync('npm', ['install', '-g', '--offline', '--prefix', prefix, tarball], { cwd: temp, env, encoding: 'utf8' });
    installOutput = install.stdout + install.stderr;
    expect(install.status, installOutput).toBe(0);
  }, 600_000);

  afterAll(() => {
    if (temp) rmSync(temp, { recursive: true, force: true });
  });

  it('installs offline from the tarball alone, without install scripts or warnings', () => {
    expect(installOutput).not.toMatch(/warn/i);
    const pkgDir = join(prefix, 'lib', 'node_modules', 'apptainer-gen');
    const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.scripts).toBeUndefined();
    expect(existsSync(join(pkgDir, 'node_modules'))).toBe(false);
    for (const file of [
      'LICENSE',
      'README.md',
      'dist/wasm/tree-sitter.wasm',
      'dist/wasm/tree-sitter-bash.wasm',
      'schemas/recipe.schema.json',
      'grammar/apptainer.tmLanguage.json',
    ]) {
      expect(existsSync(join(pkgDir, file)), file).toBe(true);
    }
    expect(existsSync(join(pkgDir, 'src')), 'TypeScript sources are not shipped').toBe(false);
    const packed = statSync(tarball).size;
    const installed = du(pkgDir);
    console.log(`package: ${(packed / 1e6).toFixed(2)} MB packed, ${(installed / 1e6).toFixed(2)} MB installed`);
    // Was 42 MB installed, 20 MB of it tree-sitter-bash's sources and native builds.
    expect(installed).toBeLessThan(8e6);
  });

  it('documents the install commands this test runs', () => {
    expect(README).toContain(`npm install -g ./apptainer-gen-${version}.tgz`);
    expect(README).toContain(`npm install -g --offline --prefix /opt/apptainer-gen /shared/apptainer-gen-${version}.tgz`);
  });

  it('runs every README command with the installed binaries', async () => {
    const commands = readmeCommands(README);
    expect(commands.length).toBeGreaterThan(10);
    const work = join(temp, 'work');
    mkdirSync(work);
    // The README's commands use the example recipes, as in a clone or the installed package.
    cpSync(join(prefix, 'lib', 'node_modules', 'apptainer-gen', 'fixtures'), join(work, 'fixtures'), { recursive: true });
    const path = `${join(prefix, 'bin')}:${process.env.PATH}`;
    for (const command of commands) {
      const program = command.split(/\s+/)[0];
      expect(['apptainer-gen', 'apptainer-lint'], command).toContain(program);
      const run = await runAsync('bash', ['-c', command], { cwd: work, env: { ...env, PATH: path } });
      expect(run.status, `${command}\n${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stderr, command).not.toMatch(/internal error|Error:/);
    }
    // What the quick start promises.
    expect(existsSync(join(work, 'app.def'))).toBe(true);
    expect(existsSync(join(work, 'job.sh'))).toBe(true);
    expect(JSON.parse(readFileSync(join(work, 'lint.sarif'), 'utf8')).version).toBe('2.1.0');
  });

  it('runs the language server from the installed package', () => {
    const message = (body: object) => {
      const json = JSON.stringify(body);
      return `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
    };
    const input =
      message({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }) +
      message({ jsonrpc: '2.0', method: 'initialized', params: {} }) +
      message({ jsonrpc: '2.0', id: 2, method: 'shutdown' }) +
      message({ jsonrpc: '2.0', method: 'exit' });
    const run = spawnSync(join(prefix, 'bin', 'apptainer-gen'), ['lsp', '--stdio'], { cwd: temp, env, input, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.stdout).toContain('"capabilities"');
    expect(run.stdout).toContain('"id":2');
  });

  it('installs from a git URL into a folder (npm builds it from source)', async () => {
    expect(README).toContain('npm install --prefix ~/.local/apptainer-gen git+https://github.com/apptainer-gen/apptainer-gen.git');
    const repo = join(temp, 'project');
    const git = (...args: string[]) =>
      spawnSync('git', args, {
        cwd: repo,
        encoding: 'utf8',
        env: { ...env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org' },
      });
    rmSync(join(repo, 'node_modules'));
    expect(git('init', '-q').status).toBe(0);
    git('add', '-A');
    expect(git('commit', '-q', '-m', 'snapshot').status).toBe(0);
    const target = join(temp, 'from-git');
    const install = await runAsync('npm', ['install', '--no-audit', '--no-fund', '--prefix', target, `git+file://${repo}`], { cwd: temp, env });
    expect(install.status, install.stdout + install.stderr).toBe(0);
    const run = spawnSync(join(target, 'node_modules', '.bin', 'apptainer-lint'), ['--format', 'json', '--no-shellcheck', '-'], {
      env,
      input: 'Bootstrap: docker\nFrom: alpine\n',
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('DEF401');
  });

  it('serves the library entry point from the bundle', () => {
    const script = `import('apptainer-gen').then(async (m) => { const f = await m.lint('Bootstrap: docker\\nFrom: alpine\\n', { filename: 'a.def' }); console.log(f.map((x) => x.ruleId).join(',')); })`;
    // A consumer project whose node_modules holds the installed package.
    const nodeModules = join(temp, 'consumer', 'node_modules');
    mkdirSync(nodeModules, { recursive: true });
    symlinkSync(join(prefix, 'lib', 'node_modules', 'apptainer-gen'), join(nodeModules, 'apptainer-gen'));
    const consumer = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: join(temp, 'consumer'), env, encoding: 'utf8' });
    expect(consumer.status, consumer.stderr).toBe(0);
    expect(consumer.stdout).toContain('DEF401');
  });
});
