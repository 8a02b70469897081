// The job-script check: srun --mpi=/launcher vs. the image's MPI (labels or what %post builds).
// Fixtures in fixtures/jobs/: `<image>.<case>.(good|bad).sh` is checked against `<image>.def`.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { checkJobScript, containerLaunch, mpiOfModule, srunPlugin } from '../../src/lint/jobscript.js';
import type { Finding } from '../../src/lint/types.js';

const JOBS = join(import.meta.dirname, '../../fixtures/jobs');

function read(name: string): string {
  return readFileSync(join(JOBS, name), 'utf8');
}

async function check(jobName: string, defName = `${jobName.split('.')[0]}.def`) {
  return checkJobScript(read(jobName), read(defName), { jobFilename: jobName, defFilename: defName });
}

/** The text a finding's range covers in the job script. */
function covered(text: string, f: Finding): string {
  return text.slice(f.range.start.offset, f.range.end.offset);
}

describe('fixtures/jobs', () => {
  const scripts = readdirSync(JOBS).filter((n) => /\.(good|bad)\.sh$/.test(n));
  it('has good and bad job scripts', () => {
    expect(scripts.filter((n) => n.endsWith('.bad.sh')).length).toBeGreaterThanOrEqual(4);
    expect(scripts.filter((n) => n.endsWith('.good.sh')).length).toBeGreaterThanOrEqual(4);
  });
  for (const name of scripts) {
    it(name, async () => {
      const result = await check(name);
      expect(result.profile, 'the image should carry MPI facts').toBeDefined();
      expect(result.checked.length, 'the script should launch the image').toBeGreaterThan(0);
      const summary = result.findings.map((f) => `${f.range.start.line}:${f.range.start.column} ${f.ruleId} ${f.message}`);
      if (name.endsWith('.bad.sh')) expect(summary.length, 'bad script passed').toBeGreaterThan(0);
      else expect(summary).toEqual([]);
    });
  }
});

describe('checkJobScript', () => {
  it('flags srun --mpi=pmix for an MPICH image built for PMI-2 (labels → error, exact range)', async () => {
    const name = 'mpich-pmi2.srun-pmix.bad.sh';
    const { findings, profile } = await check(name);
    expect(profile?.basis).toBe('labels');
    expect([...(profile?.pmi ?? [])]).toEqual(['pmi2']);
    expect(findings).toHaveLength(1);
    const [f] = findings;
    expect(f.ruleId).toBe('DEF707');
    expect(f.slug).toBe('job-pmi-mismatch');
    expect(f.severity).toBe('error');
    expect(covered(read(name), f)).toBe('--mpi=pmix');
    expect(f.range.start.line).toBe(5);
    expect(f.range.start.column).toBe(6);
    expect(f.message).toContain('--mpi=pmi2');
    expect(f.message).toMatch(/\(image: mpich-pmi2\.def:\d+, label org\.apptainer-gen\.mpi\.pmi=pmi2\)\.$/);
  });

  it('flags Open MPI 5 under --mpi pmi2 (separate value word)', async () => {
    const name = 'openmpi5-pmix.srun-pmi2.bad.sh';
    const { findings } = await check(name);
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['DEF707', 'error']]);
    expect(covered(read(name), findings[0])).toBe('pmi2');
    expect(findings[0].message).toContain('Open MPI 5 supports PMIx only');
  });

  it('reads SLURM_MPI_TYPE set earlier in the script', async () => {
    const job = 'export SLURM_MPI_TYPE=pmi2\nsrun apptainer exec openmpi5-pmix.sif app\n';
    const { findings } = await checkJobScript(job, read('openmpi5-pmix.def'), { defFilename: 'openmpi5-pmix.def' });
    expect(findings.map((f) => f.ruleId)).toEqual(['DEF707']);
    expect(covered(job, findings[0])).toBe('srun');
  });

  it('warns when srun has no --mpi at all', async () => {
    const { findings } = await check('mpich-pmi2.no-mpi-option.bad.sh');
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['DEF707', 'warning']]);
    expect(findings[0].message).toContain('add --mpi=pmi2');
  });

  it('flags a host mpirun for a pmi-model image (DEF708)', async () => {
    const name = 'mpich-pmi2.host-mpirun.bad.sh';
    const { findings } = await check(name);
    expect(findings.map((f) => f.ruleId)).toEqual(['DEF708']);
    expect(covered(read(name), findings[0])).toBe('mpirun');
  });

  it('flags a bind-model launch that binds nothing, and accepts APPTAINER_BINDPATH', async () => {
    const bad = await check('cray-mpich-bind.no-bind.bad.sh');
    expect(bad.findings.map((f) => [f.ruleId, f.severity])).toEqual([['DEF708', 'error']]);
    expect(covered(read('cray-mpich-bind.no-bind.bad.sh'), bad.findings[0])).toBe('apptainer');
    const good = await check('cray-mpich-bind.bindpath.good.sh');
    expect(good.findings).toEqual([]);
  });

  it('infers PMI-2 from the configure flags when labels are missing (warning only)', async () => {
    const { findings, profile } = await check('mpich-handwritten.srun-pmix.bad.sh');
    expect(profile?.basis).toBe('inferred');
    expect(profile?.impl).toBe('mpich');
    expect(profile?.version).toBe('4.2.0');
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['DEF707', 'warning']]);
    expect(findings[0].message).toContain('mpich-handwritten.def:9');
  });

  it('infers from distro packages: Open MPI → pmix, MPICH → pmi2', async () => {
    const ompi = 'Bootstrap: docker\nFrom: debian:12\n\n%post\n    apt-get update && apt-get install -y libopenmpi-dev openmpi-bin\n';
    const mpich = 'Bootstrap: docker\nFrom: debian:12\n\n%post\n    apt-get update && apt-get install -y mpich libmpich-dev\n';
    const job = 'srun --mpi=pmi2 apptainer exec img.sif app\nsrun --mpi=pmix apptainer exec img.sif app\n';
    const a = await checkJobScript(job, ompi, { defFilename: 'img.def' });
    expect(a.findings.map((f) => f.range.start.line)).toEqual([1]);
    const b = await checkJobScript(job, mpich, { defFilename: 'img.def' });
    expect(b.findings.map((f) => f.range.start.line)).toEqual([2]);
  });

  it('flags --mpi=none for a hybrid image built with PMIx', async () => {
    const def =
      'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%labels\n    org.apptainer-gen.mpi.model hybrid\n    org.apptainer-gen.mpi.impl openmpi\n    org.apptainer-gen.mpi.version 4.1.6\n    org.apptainer-gen.mpi.pmi pmix\n';
    const { findings } = await checkJobScript('srun --mpi=none apptainer exec app.sif app\nmpirun -n 4 apptainer exec app.sif app\n', def, {
      defFilename: 'app.def',
    });
    expect(findings.map((f) => `${f.range.start.line} ${f.ruleId}`)).toEqual(['1 DEF707']);
    expect(findings[0].message).toContain('rank 0 of 1');
  });

  it('only checks launches of this image when the script names it', async () => {
    const job = 'srun --mpi=pmix apptainer exec other.sif app\nsrun --mpi=pmi2 apptainer exec mpich-pmi2.sif app\n';
    const result = await checkJobScript(job, read('mpich-pmi2.def'), { defFilename: 'mpich-pmi2.def' });
    expect(result.launches).toHaveLength(2);
    expect(result.checked).toHaveLength(1);
    expect(result.findings).toEqual([]);
  });

  it('returns no profile for a def without MPI, and survives garbage input', async () => {
    const r = await checkJobScript('srun --mpi=pmix apptainer exec x.sif a\n', 'Bootstrap: docker\nFrom: alpine:3.20\n', {});
    expect(r.profile).toBeUndefined();
    expect(r.findings).toEqual([]);
    const weird = await checkJobScript('srun --mpi= apptainer exec\n((( "unterminated\n', '%post\n  {{ x }\n', {});
    expect(weird.findings).toEqual([]);
  });
});

describe('host MPI modules (hybrid and bind models)', () => {
  it('flags a host MPI of another implementation, on the launcher', async () => {
    const name = 'openmpi4-hybrid.module-mpich.bad.sh';
    const { findings } = await check(name);
    expect(findings.map((f) => [f.ruleId, f.severity, covered(read(name), f)])).toEqual([['DEF708', 'warning', 'mpirun']]);
    expect(findings[0].message).toContain('module mpich/4.1.2, line 4');
  });

  it('flags a host MPI of another version', async () => {
    const { findings } = await check('openmpi4-hybrid.module-version.bad.sh');
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toContain('Open MPI 5.0.3 but the image has 4.1.5');
  });

  it('accepts any MPICH-ABI host MPI for a bind image built against MPICH', async () => {
    const job = (module: string) => `module load ${module}\nmpirun apptainer exec --bind /opt/site cray-mpich-bind.sif app\n`;
    const defText = read('cray-mpich-bind.def');
    for (const module of ['cray-mpich/8.1.27', 'intel-oneapi-mpi/2021.13', 'mvapich2/2.3.7']) {
      expect((await checkJobScript(job(module), defText, { defFilename: 'cray-mpich-bind.def' })).findings, module).toEqual([]);
    }
    const ompi = await checkJobScript(job('openmpi/4.1.6'), defText, { defFilename: 'cray-mpich-bind.def' });
    expect(ompi.findings.map((f) => f.ruleId)).toEqual(['DEF708']);
  });

  it('recognises MPI module names', () => {
    expect(mpiOfModule('openmpi/4.1.5-gcc-12')).toEqual({ impl: 'openmpi', version: '4.1.5' });
    expect(mpiOfModule('OpenMPI/4.1.6-GCC-13.2.0')).toEqual({ impl: 'openmpi', version: '4.1.6' });
    expect(mpiOfModule('cray-mpich/8.1.27')).toEqual({ impl: 'mpich', version: undefined });
    expect(mpiOfModule('impi/2021.13')).toEqual({ impl: 'intelmpi', version: '2021.13' });
    expect(mpiOfModule('hpcx/2.18')).toEqual({ impl: 'openmpi', version: undefined });
    expect(mpiOfModule('gcc/12.2.0')).toBeUndefined();
    expect(mpiOfModule('mpi4py/3.1.4')).toBeUndefined();
  });
});

describe('helpers', () => {
  it('normalises srun plugins', () => {
    expect(srunPlugin('pmix_v4')).toBe('pmix');
    expect(srunPlugin('PMIX')).toBe('pmix');
    expect(srunPlugin('pmi2')).toBe('pmi2');
    expect(srunPlugin('none')).toBe('none');
    expect(srunPlugin('cray_shasta')).toBe('other');
  });

  it('finds the image after apptainer options with values', async () => {
    const { launches } = await checkJobScript(
      'srun -n 4 --mpi=pmix singularity exec --nv -B /a:/b --env X=1 img.sif app\n',
      'Bootstrap: docker\nFrom: x\n',
      {},
    );
    expect(launches).toHaveLength(1);
    expect(launches[0].image?.text).toBe('img.sif');
    expect(launches[0].mpiValue).toBe('pmix');
    expect(launches[0].runtimeOptions.map((w) => w.text)).toEqual(['--nv', '-B', '/a:/b', '--env', 'X=1']);
    expect(containerLaunch).toBeTypeOf('function');
  });
});

describe('apptainer-gen check-job', () => {
  async function runCli(argv: string[]) {
    const { run } = await import('../../src/cli/commands/check-job.js');
    let stdout = '';
    let stderr = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
    try {
      const code = await run(argv);
      return { code, stdout, stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }

  it('exits 1 with a stylish report on an error finding', async () => {
    const r = await runCli([join(JOBS, 'mpich-pmi2.srun-pmix.bad.sh'), '--image', join(JOBS, 'mpich-pmi2.def'), '--no-color']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('5:6');
    expect(r.stdout).toContain('DEF707/job-pmi-mismatch');
    expect(r.stdout).toContain('^^^^^^^^^^');
  });

  it('exits 0 on warnings only, with json output', async () => {
    const r = await runCli([join(JOBS, 'mpich-handwritten.srun-pmix.bad.sh'), '-i', join(JOBS, 'mpich-handwritten.def'), '--format=json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { ruleId: string; severity: string; line: number }[];
    expect(report.map((f) => [f.ruleId, f.severity, f.line])).toEqual([['DEF707', 'warning', 3]]);
  });

  it('exits 0 with no output for a matching job', async () => {
    const r = await runCli([join(JOBS, 'mpich-pmi2.srun-pmi2.good.sh'), '--image', join(JOBS, 'mpich-pmi2.def')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
  });

  it('exits 2 on usage and input errors, with file:line:col', async () => {
    expect((await runCli([join(JOBS, 'mpich-pmi2.srun-pmi2.good.sh')])).code).toBe(2);
    expect((await runCli(['--image', 'x.def'])).code).toBe(2);
    expect((await runCli(['a.sh', '--image', 'x.def', '--format', 'sarif'])).code).toBe(2);
    const missing = await runCli([join(JOBS, 'mpich-pmi2.srun-pmi2.good.sh'), '--image', '/nonexistent/app.def']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('/nonexistent/app.def:1:1: cannot read the definition file: no such file or directory\n');
  });

  it('notes when the image carries no MPI facts', async () => {
    const r = await runCli([
      join(JOBS, 'mpich-pmi2.srun-pmi2.good.sh'),
      '--image',
      join(import.meta.dirname, '../../fixtures/lint/DEF755/bad-untagged-rocm.def'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('no MPI information found');
  });
});

describe('robustness', () => {
  it('never throws on arbitrary job scripts and def files', async () => {
    const fc = await import('fast-check');
    const token = fc.constantFrom(
      'srun',
      'mpirun',
      '--mpi=pmix',
      '--mpi',
      'pmi2',
      'apptainer',
      'exec',
      'run',
      '-B',
      'x.sif',
      '"$IMAGE"',
      'module',
      'load',
      'openmpi/4',
      '&&',
      '|',
      ';',
      '\\\n',
      '\n',
      '(',
      ')',
      '$(',
      '`',
      "'",
      '"',
      '#',
      'export',
      'SLURM_MPI_TYPE=',
      '=',
      ' ',
    );
    const defToken = fc.constantFrom(
      'Bootstrap: docker\n',
      'From: x\n',
      '%post\n',
      '%labels\n',
      'org.apptainer-gen.mpi.pmi pmi2\n',
      'org.apptainer-gen.mpi.model bind\n',
      'cd openmpi-5.0.1\n',
      './configure --with-pmi\n',
      '{{ X }}',
      '%files\n',
      ' ',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 40 }), fc.array(defToken, { maxLength: 20 }), async (jobParts, defParts) => {
        const result = await checkJobScript(jobParts.join(' '), defParts.join(''), {});
        expect(Array.isArray(result.findings)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('job-script rule ids are documented like rules', () => {
  it('explain knows DEF707 and job-launcher-model-mismatch', async () => {
    const { run } = await import('../../src/cli/commands/explain.js');
    const chunks: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((c: string | Uint8Array) => (chunks.push(String(c)), true)) as typeof process.stdout.write;
    try {
      expect(await run(['DEF707', 'job-launcher-model-mismatch'])).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(chunks.join('')).toContain('DEF707 job-pmi-mismatch');
    expect(chunks.join('')).toContain('DEF708 job-launcher-model-mismatch');
  });
});
