// Issue 10: a host Hydra mpirun cannot start an MPICH built against Slurm's PMI library (or PMIx);
// check-job says so (DEF708). The generator's hybrid MPICH keeps the built-in PMI and passes.
import { describe, expect, it } from 'vitest';
import { checkJobScript } from '../../src/lint/jobscript.js';
import { generate } from '../../src/generate/index.js';

const JOB = '#!/bin/bash\n#SBATCH --nodes=2\nmodule load mpich/4.1.2\nmpirun -n "$SLURM_NTASKS" apptainer exec app.sif /opt/app/bin/hello\n';

function mpichDef(configureFlags: string): string {
  return [
    'Bootstrap: docker',
    'From: ubuntu:22.04',
    '',
    '%post',
    '    cd /usr/local/src/mpich-4.1.2',
    `    ./configure --prefix=/opt/mpich ${configureFlags}`,
    '    make install',
    '',
  ].join('\n');
}

async function hydraFindings(def: string, job = JOB) {
  const { findings } = await checkJobScript(job, def, { jobFilename: 'job.sh', defFilename: 'app.def' });
  return findings.filter((f) => f.ruleId === 'DEF708');
}

describe('check-job: MPICH with an external PMI under a host mpirun', () => {
  it('flags Slurm PMI2 (--with-pmilib=slurm), Slurm PMI-1, PMIx and MVAPICH2 --with-pm=slurm', async () => {
    for (const flags of ['--with-pmi=pmi2 --with-pmilib=slurm', '--with-pmi=slurm --with-pmilib=slurm', '--with-pmi=pmix --with-pmix=/usr']) {
      const [f, ...rest] = await hydraFindings(mpichDef(flags));
      expect(rest).toEqual([]);
      expect(f, flags).toMatchObject({ severity: 'error', range: { start: { line: 4, column: 1 } } });
      expect(f.message).toContain('Hydra');
      expect(f.message).toContain('app.def:6');
    }
    const mvapich = mpichDef('--with-pm=slurm --with-pmi=pmi2').replace('mpich-4.1.2', 'mvapich2-2.3.7');
    expect(await hydraFindings(mvapich)).toHaveLength(1);
  });

  it("stays quiet for Hydra's built-in PMI and for srun launches", async () => {
    expect(await hydraFindings(mpichDef('--with-device=ch4:ofi'))).toEqual([]);
    expect(await hydraFindings(mpichDef('--with-pmi=pmi2'))).toEqual([]);
    const srun = JOB.replace('mpirun -n "$SLURM_NTASKS"', 'srun --mpi=pmi2');
    expect(await hydraFindings(mpichDef('--with-pmi=pmi2 --with-pmilib=slurm'), srun)).toEqual([]);
  });

  it("passes the generator's own hybrid MPICH (def and job script)", async () => {
    const recipe =
      'apiVersion: apptainer-gen/v1\nname: app\nbase:\n  image: rockylinux:9\nmpi:\n  model: hybrid\n  impl: mpich\n  version: 4.1.2\napp:\n  build:\n    script: "true"\njobScript: {}\n';
    const result = generate(recipe, { filename: 'app.yaml' });
    if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
    const { findings } = await checkJobScript(result.jobScript!, result.def, { jobFilename: 'job.sh', defFilename: 'app.def' });
    expect(findings.map((f) => `${f.ruleId} ${f.message}`)).toEqual([]);
    expect(result.jobScript).toContain('mpirun -n "$SLURM_NTASKS" apptainer');
  });
});
