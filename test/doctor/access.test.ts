// The real HostAccess: a missing tool, a failing tool and a hanging tool each become an outcome,
// never an exception. No timing is asserted, only which outcome came back.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { probeCommand, realHost } from '../../src/doctor/access.js';

const dir = mkdtempSync(path.join(tmpdir(), 'doctor-access-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tool(name: string, script: string): void {
  writeFileSync(path.join(dir, name), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
}

describe('realHost', () => {
  const host = realHost({ PATH: `${dir}:/usr/bin:/bin` });

  test('a tool not on PATH is missing', async () => {
    expect(await host.run(['apptainer-gen-no-such-tool'], 5_000)).toEqual({ kind: 'missing' });
    expect(await probeCommand(host, ['apptainer-gen-no-such-tool', '-v'], 5_000)).toEqual({
      ok: false,
      reason: 'apptainer-gen-no-such-tool not found on PATH',
    });
  });

  test('output, exit status and the last stderr line of a failing tool', async () => {
    tool('fails', 'echo partial; echo "fatal: no controller" >&2; exit 3');
    expect(await host.run(['fails'], 10_000)).toEqual({ kind: 'ran', code: 3, stdout: 'partial\n', stderr: 'fatal: no controller\n' });
    expect(await probeCommand(host, ['fails'], 10_000)).toEqual({ ok: false, reason: 'fails exited with status 3: fatal: no controller' });
  });

  test('a hanging tool is killed at the time limit and reported as a timeout', async () => {
    tool('hangs', 'exec sleep 600');
    expect(await host.run(['hangs'], 300)).toEqual({ kind: 'timeout', afterMs: 300 });
  });

  test('tools run with the given environment and LC_ALL=C', async () => {
    tool('envtool', 'echo "$LC_ALL $DOCTOR_TEST"');
    const env = realHost({ PATH: dir, DOCTOR_TEST: 'yes' });
    expect(await env.run(['envtool'], 10_000)).toMatchObject({ kind: 'ran', stdout: 'C yes\n' });
    expect(env.which('envtool')).toBe(path.join(dir, 'envtool'));
    expect(env.listDir(dir)).toContain('envtool');
    expect(env.listDir(path.join(dir, 'nope'))).toBeUndefined();
  });
});
