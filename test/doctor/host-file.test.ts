// host.yaml: what --write-host records reads back to the same facts; bad files are rejected with
// file:line:column, never half-read.
import { describe, expect, test } from 'vitest';
import { probeHost } from '../../src/doctor/probe.js';
import { hostToYaml, parseHostFile } from '../../src/host/file.js';
import { eachFact } from '../../src/host/facts.js';
import { loadRecordedHost, replayHost } from './replay.js';

describe('host.yaml', () => {
  test.each(['bookworm-slurm22-openmpi4', 'el9-slurm23-pmix-only-openmpi5-a100', 'cray-ex-slurm23-rocm6', 'login-node-bare'])(
    'round trip of %s',
    async (name) => {
      const host = await probeHost(replayHost(loadRecordedHost(name)), 5_000);
      const text = hostToYaml(host);
      const back = parseHostFile(text, 'host.yaml');
      if (!back.ok) throw new Error(JSON.stringify(back.problems));
      const facts = eachFact(host);
      const read = eachFact(back.host);
      expect(read.map(([n]) => n)).toEqual(facts.map(([n]) => n));
      for (let i = 0; i < facts.length; i++) {
        const [, before] = facts[i];
        const [, after] = read[i];
        expect(after.status).toBe(before.status);
        if (before.status === 'found' && after.status === 'found') {
          expect(after.value).toEqual(before.value);
          expect(after.source).toBe(`host.yaml: ${before.source}`);
        }
        if (before.status === 'unknown' && after.status === 'unknown') expect(after.reason).toBe(before.reason);
      }
      // Same probe, same bytes.
      expect(hostToYaml(host)).toBe(text);
    },
  );

  test('a wrong value type is reported at its line and column', () => {
    const text = 'apiVersion: apptainer-gen/host/v1\nslurm:\n  mpi:\n    value: { plugins: pmix, pmixVersions: [] }\n    source: srun --mpi=list\n';
    const result = parseHostFile(text, 'h.yaml');
    expect(result).toEqual({ ok: false, problems: [{ file: 'h.yaml', line: 4, column: 12, message: "slurm.mpi: 'plugins' must be a list of strings" }] });
  });

  test('wrong apiVersion, unknown section and malformed fact are all reported', () => {
    const text = 'apiVersion: v0\nslurmm: {}\nmpi:\n  dir: /opt/mpi\n';
    const result = parseHostFile(text, 'h.yaml');
    expect(result.ok).toBe(false);
    const messages = result.ok ? [] : result.problems.map((p) => `${p.line}:${p.column} ${p.message}`);
    expect(messages).toEqual([
      '1:13 apiVersion must be apptainer-gen/host/v1 (this file was not written by apptainer-gen doctor --write-host?)',
      "2:1 unknown section 'slurmm' (allowed: slurm, mpi, gpu, fabric)",
      '4:8 mpi.dir must be { value: ..., source: ... } or { unknown: reason }',
    ]);
  });

  test('YAML syntax errors and non-mappings', () => {
    expect(parseHostFile('a: [1,\n', 'h.yaml').ok).toBe(false);
    expect(parseHostFile('- 1\n', 'h.yaml')).toMatchObject({ ok: false, problems: [{ line: 1, column: 1 }] });
  });

  test('facts missing from the file are unknown, not errors', () => {
    const result = parseHostFile('apiVersion: apptainer-gen/host/v1\n', 'h.yaml');
    expect(result.ok && result.host.slurm.mpi).toEqual({ status: 'unknown', reason: 'not recorded in the host file' });
  });
});
