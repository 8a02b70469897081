// Items 10 and 11 of issue 14: deep nesting and huge sections cost bounded stack and memory.
import { describe, expect, it } from 'vitest';
import { run as checkJobRun } from '../../src/cli/commands/check-job.js';
import { run as lintRun } from '../../src/cli/commands/lint.js';
import { lint } from '../../src/lint/index.js';
import { parseShellScripts, SECTION_ANALYSIS_LIMIT } from '../../src/lint/shell/index.js';
import { SHELL_NESTING_LIMIT } from '../../src/lint/shell/walk.js';
import { parse } from '../../src/parse/index.js';
import { join } from 'node:path';
import { CLEAN_DEF, hostileTree, runCli } from './helpers.js';

const LEVELS = 1500;
const DEEP: Record<string, string> = {
  'command substitution': `    echo ${'"$('.repeat(LEVELS)}true${')"'.repeat(LEVELS)}`,
  subshell: `    ${'( '.repeat(LEVELS)}true${' )'.repeat(LEVELS)}`,
  'if blocks': [...Array(LEVELS).fill('    if true; then'), '    true', ...Array(LEVELS).fill('    fi')].join('\n'),
};
const defWith = (body: string) => `Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n${body}\n`;

describe(`shell nesting of ${LEVELS} levels (item 10)`, () => {
  for (const [name, body] of Object.entries(DEEP)) {
    it(`${name}: lint finishes and says where analysis stopped (DEF022)`, async () => {
      const findings = await lint(defWith(body), { shellcheck: false });
      const limit = findings.filter((f) => f.ruleId === 'DEF022');
      expect(limit).toHaveLength(1);
      expect(limit[0].message).toContain(`${SHELL_NESTING_LIMIT} levels`);
    });
  }

  it('one deeply nested file does not stop a multi-file run', async () => {
    const root = hostileTree({ 'a-deep.def': defWith(DEEP['command substitution']), 'b.def': CLEAN_DEF.replace('echo hello', 'apt-get install -y curl') });
    const result = await runCli(lintRun, ['--no-shellcheck', '--no-color', '-f', 'json', join(root, 'a-deep.def'), join(root, 'b.def')]);
    const rows = JSON.parse(result.stdout) as { file: string; ruleId: string }[];
    expect(rows.some((row) => row.file.endsWith('a-deep.def') && row.ruleId === 'DEF022')).toBe(true);
    expect(rows.some((row) => row.file.endsWith('b.def'))).toBe(true);
  });

  it('check-job on a deeply nested job script finishes', async () => {
    const root = hostileTree({
      'job.sh': `#!/bin/bash\n${DEEP['command substitution']}\nsrun --mpi=pmi2 apptainer exec app.sif /opt/app\n`,
      'app.def':
        'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%labels\n    org.apptainer-gen.mpi.pmi pmix\n    org.apptainer-gen.mpi.model pmi\n    org.apptainer-gen.mpi.impl openmpi\n',
    });
    const result = await runCli(checkJobRun, ['--no-color', join(root, 'job.sh'), '--image', join(root, 'app.def')]);
    expect(result.stderr).not.toContain('internal error');
    expect([0, 1]).toContain(result.code);
  });
});

describe("sections over Apptainer's 64 KiB limit (item 11)", () => {
  const huge = defWith(Array.from({ length: 6000 }, (_, i) => `    echo "line ${i}" | tee -a /log`).join('\n')) + '\n%runscript\n    exec /bin/true "$@"\n';

  it('are reported (DEF019) but never parsed as shell; smaller sections still are', async () => {
    const file = parse(huge);
    const post = file.stages[0].sections.find((s) => s.name === 'post')!;
    expect(post.bodyLines.reduce((n, l) => n + l.text.length + 1, 0)).toBeGreaterThan(SECTION_ANALYSIS_LIMIT);
    const scripts = await parseShellScripts(file);
    expect(scripts.find((s) => s.section.name === 'post')!.commands).toEqual([]);
    expect(scripts.find((s) => s.section.name === 'runscript')!.commands.map((c) => c.baseName)).toEqual(['true']);
    const findings = await lint(huge, { shellcheck: false });
    expect(findings.map((f) => f.ruleId)).toContain('DEF019');
  });

  it('findings per file are capped, with a note saying how many were left out', async () => {
    // Errors with fixes (DEF305, no -y): never grouped (overlap.ts groups only info/style advice).
    const noisy = defWith(Array.from({ length: 1500 }, () => '    apt-get install curl').join('\n'));
    const findings = await lint(noisy, { shellcheck: false });
    expect(findings.length).toBeLessThanOrEqual(1001);
    expect(findings[findings.length - 1]).toMatchObject({ ruleId: 'DEF022' });
    expect(findings[findings.length - 1].message).toMatch(/\d+ more findings were not reported/);
  });
});
