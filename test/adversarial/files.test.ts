// Items 5-9 and 13 of issue 14: files are written where and how the user meant, inputs are read
// with a bound, and special files never hang a run.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run as checkJobRun } from '../../src/cli/commands/check-job.js';
import { run as fmtRun } from '../../src/cli/commands/fmt.js';
import { run as generateRun } from '../../src/cli/commands/generate.js';
import { run as lintRun } from '../../src/cli/commands/lint.js';
import { run as parseRun } from '../../src/cli/commands/parse.js';
import { MAX_INPUT_BYTES, writeOutput } from '../../src/cli/io.js';
import { CLEAN_DEF, hostileTree, runCli } from './helpers.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RECIPE = 'apiVersion: apptainer-gen/v1\nname: r\nbase:\n  image: ubuntu:24.04\njobScript:\n  nodes: 1\n';
/** Unformatted (lower-case header key) but otherwise clean. */
const UNFORMATTED = 'bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    echo hello\n';
const lint = (argv: string[], cwd?: string) => runCli(lintRun, ['--no-shellcheck', '--no-color', ...argv], cwd);
const mode = (path: string) => statSync(path).mode & 0o7777;
const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;
const isRoot = process.getuid?.() === 0;

describe('jobScript.path in a recipe stays inside the output folder (item 5)', () => {
  for (const path of ['/etc/cron.d/evil', '../outside.sh', 'sub/../../outside.sh']) {
    it(`rejects ${path}`, async () => {
      const root = hostileTree({ 'r.yaml': RECIPE.replace('jobScript:\n', `jobScript:\n  path: ${path}\n`), 'out/.keep': '' });
      const result = await runCli(generateRun, [join(root, 'r.yaml'), '-o', join(root, 'out', 'r.def')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/r\.yaml:6:9: error: jobScript\.path: must be a relative path inside the output folder/);
      expect(existsSync(join(root, 'outside.sh'))).toBe(false);
      expect(existsSync(join(root, 'out', 'r.def'))).toBe(false);
    });
  }

  it('writes a relative path next to the -o file; --job-script on the command line may go anywhere', async () => {
    const root = hostileTree({ 'r.yaml': RECIPE.replace('jobScript:\n', 'jobScript:\n  path: jobs/run.sh\n'), 'out/jobs/.keep': '' });
    expect((await runCli(generateRun, [join(root, 'r.yaml'), '-o', join(root, 'out', 'r.def')])).code).toBe(0);
    expect(readFileSync(join(root, 'out', 'jobs', 'run.sh'), 'utf8')).toContain('#SBATCH --nodes=1');
    expect((await runCli(generateRun, [join(root, 'r.yaml'), '-o', join(root, 'out', 'r.def'), '--job-script', join(root, 'elsewhere.sh')])).code).toBe(0);
    expect(existsSync(join(root, 'elsewhere.sh'))).toBe(true);
  });
});

describe('fmt --write and lint --fix never re-encode bytes (item 6)', () => {
  const latin1 = Buffer.concat([Buffer.from(UNFORMATTED.replace('echo hello', 'echo caf')), Buffer.from([0xe9, 0x0a])]);

  it('fmt --write leaves a Latin-1 file byte for byte and says why', async () => {
    const root = hostileTree({ 'latin1.def': latin1, 'ok.def': UNFORMATTED });
    const result = await runCli(fmtRun, ['--write', join(root, 'latin1.def'), join(root, 'ok.def')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(root, 'latin1.def')}:1:1: cannot write file: not valid UTF-8`);
    expect(readFileSync(join(root, 'latin1.def')).equals(latin1)).toBe(true);
    expect(readFileSync(join(root, 'ok.def'), 'utf8')).toMatch(/^Bootstrap: docker/); // the other file still formatted
  });

  it('fmt --write leaves a binary file alone', async () => {
    const binary = Buffer.concat([Buffer.from('bootstrap: docker\n'), Buffer.from([0, 1, 2, 0xff, 0xfe, 10])]);
    const root = hostileTree({ 'bin.def': binary });
    await runCli(fmtRun, ['--write', join(root, 'bin.def')]);
    expect(readFileSync(join(root, 'bin.def')).equals(binary)).toBe(true);
  });

  it('lint --fix does not apply fixes to a Latin-1 file', async () => {
    // apt-get install without --no-install-recommends: a safe fix exists.
    const bad = Buffer.concat([
      Buffer.from('Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get install -y curl\n    echo caf'),
      Buffer.from([0xe9, 0x0a]),
    ]);
    const root = hostileTree({ 'a.def': bad });
    const result = await lint(['--fix', join(root, 'a.def')]);
    expect(readFileSync(join(root, 'a.def')).equals(bad)).toBe(true);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not valid UTF-8');
  });
});

describe('outputs keep what the user had (item 7)', () => {
  it('follows a symlink to its target and keeps the link', async () => {
    const root = hostileTree({ 'real/a.def': UNFORMATTED });
    symlinkSync(join(root, 'real', 'a.def'), join(root, 'link.def'));
    expect((await runCli(fmtRun, ['--write', join(root, 'link.def')])).code).toBe(0);
    expect(lstatSync(join(root, 'link.def')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(root, 'real', 'a.def'), 'utf8')).toMatch(/^Bootstrap: docker/);
  });

  it('keeps the mode (0600, exec bits) and refuses read-only files unless --force', async () => {
    const root = hostileTree({ 'private.def': UNFORMATTED, 'exec.def': UNFORMATTED, 'ro.def': UNFORMATTED });
    chmodSync(join(root, 'private.def'), 0o600);
    chmodSync(join(root, 'exec.def'), 0o755);
    chmodSync(join(root, 'ro.def'), 0o444);
    const result = await runCli(fmtRun, ['--write', join(root, 'private.def'), join(root, 'exec.def'), join(root, 'ro.def')]);
    expect(mode(join(root, 'private.def'))).toBe(0o600);
    expect(mode(join(root, 'exec.def'))).toBe(0o755);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is read-only (mode 0444)');
    expect(readFileSync(join(root, 'ro.def'), 'utf8')).toBe(UNFORMATTED);
    expect((await runCli(fmtRun, ['--write', '--force', join(root, 'ro.def')])).code).toBe(0);
    expect(readFileSync(join(root, 'ro.def'), 'utf8')).toMatch(/^Bootstrap/);
    expect(mode(join(root, 'ro.def'))).toBe(0o444);
  });

  it('keeps hard links together', async () => {
    const root = hostileTree({ 'a.def': UNFORMATTED });
    linkSync(join(root, 'a.def'), join(root, 'b.def'));
    expect((await runCli(fmtRun, ['--write', join(root, 'a.def')])).code).toBe(0);
    expect(statSync(join(root, 'a.def')).ino).toBe(statSync(join(root, 'b.def')).ino);
    expect(readFileSync(join(root, 'b.def'), 'utf8')).toMatch(/^Bootstrap/);
  });

  it.skipIf(!isRoot)('keeps the owner', async () => {
    const root = hostileTree({ 'a.def': UNFORMATTED });
    chownSync(join(root, 'a.def'), 4321, 4322);
    expect((await runCli(fmtRun, ['--write', join(root, 'a.def')])).code).toBe(0);
    expect(statSync(join(root, 'a.def'))).toMatchObject({ uid: 4321, gid: 4322 });
  });

  it.skipIf(!hasMkfifo)('writes a FIFO directly instead of replacing it', async () => {
    const root = hostileTree({ 'r.yaml': RECIPE });
    const fifo = join(root, 'out.fifo');
    spawnSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let received = '';
    reader.stdout.on('data', (chunk) => (received += String(chunk)));
    const closed = new Promise((resolve) => reader.on('close', resolve));
    expect((await runCli(generateRun, [join(root, 'r.yaml'), '-o', fifo])).code).toBe(0);
    await closed;
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(received).toContain('Bootstrap: docker');
  });

  it.skipIf(!isRoot)('writes a character device directly (a private copy of /dev/null)', async () => {
    const root = hostileTree({ 'r.yaml': RECIPE });
    const device = join(root, 'null');
    if (spawnSync('mknod', [device, 'c', '1', '3']).status !== 0) return; // no CAP_MKNOD here
    expect((await runCli(generateRun, [join(root, 'r.yaml'), '-o', device])).code).toBe(0);
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
  });
});

describe('every output is checked before the first write; input = output is refused (item 8)', () => {
  it('generate -o ok.def --job-script missing/job.sh writes nothing', async () => {
    const root = hostileTree({ 'r.yaml': RECIPE });
    const result = await runCli(generateRun, [join(root, 'r.yaml'), '-o', join(root, 'ok.def'), '--job-script', join(root, 'missing', 'job.sh')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(root, 'missing', 'job.sh')}: cannot write: folder`);
    expect(existsSync(join(root, 'ok.def'))).toBe(false);
  });

  it('generate -o RECIPE refuses to overwrite its input', async () => {
    const root = hostileTree({ 'r.yaml': RECIPE });
    const result = await runCli(generateRun, [join(root, 'r.yaml'), '-o', join(root, 'r.yaml')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is the input recipe');
    expect(readFileSync(join(root, 'r.yaml'), 'utf8')).toBe(RECIPE);
  });

  it('lint -o a linted file and check-job -o an input are refused', async () => {
    const root = hostileTree({ 'a.def': CLEAN_DEF, 'job.sh': '#!/bin/bash\nsrun apptainer exec app.sif true\n' });
    const linted = await lint(['-o', join(root, 'a.def'), join(root, 'a.def')]);
    expect(linted.code).toBe(2);
    expect(readFileSync(join(root, 'a.def'), 'utf8')).toBe(CLEAN_DEF);
    const checked = await runCli(checkJobRun, [join(root, 'job.sh'), '--image', join(root, 'a.def'), '-o', join(root, 'job.sh')]);
    expect(checked.code).toBe(2);
    expect(readFileSync(join(root, 'job.sh'), 'utf8')).toContain('srun');
  });
});

describe('errors and signals (item 9)', () => {
  it('an error names the user path, never the temporary file', async () => {
    const root = hostileTree({ 'r.yaml': RECIPE, file: 'x' });
    const result = await runCli(generateRun, [join(root, 'r.yaml'), '-o', join(root, 'file', 'app.def')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(join(root, 'file', 'app.def'));
    expect(result.stderr).not.toContain('.tmp');
  });

  it('SIGTERM during a large write leaves no temporary file and no partial output', async () => {
    const io = join(ROOT, 'dist', 'src', 'cli', 'io.js');
    expect(existsSync(io), 'run `npm run build` first').toBe(true);
    const root = hostileTree();
    const target = join(root, 'big.def');
    const script = `const io = await import(${JSON.stringify(io)}); io.writeOutput(${JSON.stringify(target)}, Buffer.alloc(96 * 1024 * 1024, 97)); setTimeout(() => {}, 5000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Kill as soon as the temporary file exists (or the write is already over).
    for (let i = 0; i < 2000 && readdirSync(root).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 2));
    child.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    const left = readdirSync(root);
    expect(left.filter((name) => name.endsWith('.tmp'))).toEqual([]);
    if (left.includes('big.def')) expect(statSync(target).size).toBe(96 * 1024 * 1024);
  });

  it('writeOutput creates a new file with the umask-honouring default mode', () => {
    const root = hostileTree();
    writeOutput(join(root, 'new.def'), 'x');
    expect(mode(join(root, 'new.def'))).toBe(0o666 & ~process.umask());
  });
});

describe('special and huge inputs (item 13)', () => {
  it('/dev/zero is read up to the cap, then refused (parse, lint, generate)', async () => {
    const parsed = await runCli(parseRun, ['/dev/zero']);
    expect(parsed.code).toBe(2);
    expect(parsed.stderr).toContain(`/dev/zero: larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB`);
    expect((await lint(['/dev/zero'])).stderr).toContain('larger than');
    expect((await runCli(generateRun, ['/dev/zero'])).stderr).toContain('larger than');
  });

  it.skipIf(!hasMkfifo)('a *.def symlink to a FIFO inside a linted folder is skipped and reported; the others are linted', async () => {
    const root = hostileTree({ 'defs/good.def': CLEAN_DEF });
    spawnSync('mkfifo', [join(root, 'pipe')]);
    symlinkSync(join(root, 'pipe'), join(root, 'defs', 'trap.def'));
    mkdirSync(join(root, 'defs', 'sub'));
    spawnSync('mkfifo', [join(root, 'defs', 'sub', 'direct.def')]);
    const result = await lint(['-f', 'json', join(root, 'defs')]);
    expect(result.stderr).toContain('skipping');
    expect(result.stderr).toContain('trap.def: a FIFO, not a regular file');
    expect(result.stderr).toContain('direct.def: a FIFO');
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain('good.def');
  });

  it('an oversized regular file is refused from its size without reading it', async () => {
    const root = hostileTree({ 'big.def': Buffer.alloc(MAX_INPUT_BYTES + 1, 0x20), 'ok.def': CLEAN_DEF });
    const result = await lint(['-f', 'json', join(root, 'big.def'), join(root, 'ok.def')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('big.def: cannot read file (larger than 8 MiB; not read)');
  });
});
