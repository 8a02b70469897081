// Issue 4, part 1: the build harness itself does what Apptainer's build does.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apptainer, buildDefinition, execImage, runImage, scriptCommand, shebangScript, type BuildResult } from './harness/build.js';
import { E2E_BIN, run } from './harness/process.js';
import { buildSkipReason } from './harness/rootfs.js';
import { FIXTURES, mountsUnder, removeScratch, scratchDir, skipOrFail } from './harness/workspace.js';

describe('command lines, as Apptainer forms them', () => {
  test('%post without args runs under /bin/sh -ex', () => {
    expect(scriptCommand('post', '', '/.post.script')).toEqual(['/bin/sh', '-ex', '/.post.script']);
  });
  test('-c moves the script into the named shell, which loses -e', () => {
    expect(scriptCommand('post', '-c /bin/bash', '/.post.script')).toEqual(['/bin/sh', '-ex', '-c', '/bin/bash /.post.script']);
    expect(scriptCommand('post', '-x -c /bin/bash -e # note', '/s')).toEqual(['/bin/sh', '-ex', '-x', '-c', '/bin/bash -e /s']);
  });
  test('-c without a shell is the build error Apptainer gives', () => {
    expect(() => scriptCommand('post', '-c', '/s')).toThrow("bad post section '-c' parameter: missing arguments");
  });
  test('shebang handling for %runscript and %test', () => {
    expect(shebangScript({ args: '', script: 'echo hi' })).toBe('#!/bin/sh\n\necho hi\n');
    expect(shebangScript({ args: '-e', script: 'echo hi' })).toBe('#!/bin/sh -e\n\necho hi\n');
    expect(shebangScript({ args: '', script: '  #!/bin/bash  \necho hi' })).toBe('#!/bin/bash\n\necho hi\n');
    // A blank line before #! loses the interpreter: the "shebang" is the empty first line.
    expect(shebangScript({ args: '', script: '\n#!/bin/bash\necho hi' })).toBe('\n\n#!/bin/bash\necho hi\n');
  });
});

const skipReason = skipOrFail(await buildSkipReason());

describe.skipIf(skipReason !== null)(`chroot build harness${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let work: string;
  let built: BuildResult;

  beforeAll(async () => {
    work = scratchDir('harness');
    built = await buildDefinition(path.join(FIXTURES, 'harness/features.def'), {
      workDir: work,
      testEnv: {},
    });
  });
  afterAll(() => removeScratch(work));

  test('the build succeeds, including %test', () => {
    expect(built.error, built.log).toBeUndefined();
    expect(built.ok).toBe(true);
    expect(built.log).toContain('==> %test');
  });

  test('%setup ran on the host with APPTAINER_ROOTFS and SINGULARITY_ROOTFS', () => {
    expect(readFileSync(path.join(built.image, 'setup-marker'), 'utf8')).toBe('setup ran on the host\n');
  });

  test('%files copies into a directory (trailing /) and to a new name', () => {
    expect(readFileSync(path.join(built.image, 'opt/payload/payload.txt'), 'utf8')).toContain('payload from the host');
    expect(readFileSync(path.join(built.image, 'opt/renamed.txt'), 'utf8')).toContain('payload from the host');
  });

  test('%post ran inside the root, traced with -x, with a clean environment and /proc, /dev mounted', () => {
    const seen = readFileSync(path.join(built.image, 'post-env.txt'), 'utf8');
    expect(seen).toContain('host marker: [unset]');
    expect(seen).toContain('environment file: /.singularity.d/env/91-environment.sh');
    expect(seen).toContain('proc mounted');
    expect(seen).toContain('dev mounted');
    expect(seen).toContain('setup ran on the host');
    expect(built.log).toMatch(/^\+ echo export FROM_POST=set-in-post$/m);
    expect(existsSync(path.join(built.image, '.post.script'))).toBe(false);
  });

  test('%environment lands in 90-environment.sh after the header Apptainer writes', () => {
    const env = readFileSync(path.join(built.image, '.singularity.d/env/90-environment.sh'), 'utf8');
    expect(env.startsWith('#!/bin/sh\n')).toBe(true);
    expect(env).toContain('export FROM_ENVIRONMENT=set-in-environment');
  });

  test('the runscript keeps its #!/bin/bash and gets the arguments; both env files are sourced', async () => {
    expect(readFileSync(path.join(built.image, '.singularity.d/runscript'), 'utf8').split('\n')[0]).toBe('#!/bin/bash');
    const result = await runImage(built.image, ['one', 'two']);
    expect(result.code, result.output).toBe(0);
    expect(result.stdout).toContain('args: one two');
    expect(result.stdout).toContain('FROM_ENVIRONMENT=set-in-environment FROM_POST=set-in-post');
    expect(result.stdout).toMatch(/shell: \d+\.\d+/);
  });

  test('the runtime stand-in keeps the host environment but not PATH, and fails on what it does not implement', async () => {
    const visible = await execImage(built.image, ['sh', '-c', 'echo "$E2E_PROBE|$PATH"'], { E2E_PROBE: 'from-host' });
    expect(visible.stdout.trim()).toBe('from-host|/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    const overridden = await execImage(built.image, ['sh', '-c', 'echo "$FROM_ENVIRONMENT"'], { APPTAINERENV_FROM_ENVIRONMENT: 'explicit' });
    expect(overridden.stdout.trim()).toBe('explicit');
    const unsupported = await run([path.join(E2E_BIN, 'apptainer'), 'exec', '--contain', built.image, 'true']);
    expect(unsupported.code).toBe(255);
    expect(unsupported.stderr).toContain("option '--contain' is not implemented");
  });

  test('images are read-only at run time, and bind targets do not leak into them', async () => {
    const hostDir = path.join(work, 'bind-source');
    mkdirSync(hostDir);
    writeFileSync(path.join(hostDir, 'data.txt'), 'bound from the host\n');
    const result = await apptainer([
      'exec',
      '--bind',
      `${hostDir}:/srv/e2e-bound`,
      built.image,
      'sh',
      '-c',
      'cat /srv/e2e-bound/data.txt; if touch /opt/e2e-write-probe 2>/dev/null; then echo writable; else echo read-only; fi',
    ]);
    expect(result.stdout).toBe('bound from the host\nread-only\n');
    expect(existsSync(path.join(built.image, 'srv/e2e-bound'))).toBe(false);
    expect(existsSync(path.join(built.image, 'opt/e2e-write-probe'))).toBe(false);
  });

  test('nothing stays mounted under the work folder, even after a failing build', async () => {
    const failing = await buildDefinition(path.join(FIXTURES, 'lint/pipefail-under-dash.bad.def'), { workDir: path.join(work, 'failing') });
    expect(failing.ok).toBe(false);
    expect(failing.failedStep).toMatch(/^%post/);
    expect(mountsUnder(work)).toEqual([]);
    // The root's mount points are empty directories again.
    expect(readdirSync(path.join(failing.image, 'proc'))).toEqual([]);
    expect(readdirSync(path.join(failing.image, 'tmp'))).toEqual([]);
  });
});
