// Ids of the findings `apptainer-gen check-job` reports on Slurm job scripts. They are not def-file
// rules (they need the job script and the image's def together), but they are named, listed and
// explained like rules.
export interface JobRuleMeta {
  id: string;
  slug: string;
  summary: string;
}

export const JOB_PMI_MISMATCH: JobRuleMeta = {
  id: 'DEF707',
  slug: 'job-pmi-mismatch',
  summary: "`srun --mpi=` plugin does not match the PMI the image's MPI was built with (or is left to the site default).",
};

export const JOB_LAUNCHER_MODEL_MISMATCH: JobRuleMeta = {
  id: 'DEF708',
  slug: 'job-launcher-model-mismatch',
  summary: "The launcher does not fit the image's MPI model (pmi image under host mpirun, bind image without the host MPI bound in).",
};

export const JOB_RULES: readonly JobRuleMeta[] = [JOB_PMI_MISMATCH, JOB_LAUNCHER_MODEL_MISMATCH];

export function findJobRule(idOrSlug: string): JobRuleMeta | undefined {
  const key = idOrSlug.trim().toLowerCase();
  return JOB_RULES.find((r) => r.id.toLowerCase() === key || r.slug === key);
}

export function renderJobRuleText(rule: JobRuleMeta): string {
  return [
    `${rule.id} ${rule.slug}`,
    '',
    rule.summary,
    '',
    'Checked on Slurm job scripts, against the image they launch:',
    '    apptainer-gen check-job job.sh --image app.def',
    "The image's MPI model and PMI come from the generator's org.apptainer-gen.mpi.* labels, or are",
    'inferred from what %post installs. See docs/hpc-rules.md.',
    '',
  ].join('\n');
}
