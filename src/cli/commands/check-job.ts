// `apptainer-gen check-job JOB.sh --image app.def`: checks the MPI launch lines of a Slurm job
// script against the image's MPI (provenance labels, or what its %post builds).
// Exit codes: 0 no error finding, 1 error findings, 2 usage or input error.
import type { Finding } from '../../lint/types.js';
import { defineCommand, parseCommandArgs, parseOrExit, reportUsageError, usageError, type ParsedArgs } from '../args.js';
import { errorMessage, planOutput, readInput, sameFile, writePlanned } from '../io.js';
import { colorWanted } from '../color.js';

export const CHECK_JOB_USAGE = `Usage: apptainer-gen check-job JOB.sh --image app.def [options]

Checks a Slurm job script against the definition file of the image it runs: the
'srun --mpi=' plugin must match the PMI the image's MPI was built with (DEF707), and
the launcher must fit the image's MPI model (DEF708). The image's MPI facts come from
its org.apptainer-gen.mpi.* labels, or are inferred from what its %post installs.

Options:
  -i, --image FILE      the image's definition file (required; also --def FILE)
  -f, --format FORMAT   stylish (default) or json
  -o, --output FILE     write the report to FILE (atomically) instead of stdout
      --no-color        plain output (also NO_COLOR=1; --color forces colour)
  -h, --help            show this help

Exit status: 0 no error, 1 error findings, 2 usage or input error.`;

interface CheckJobArgs {
  job?: string;
  image?: string;
  format: 'stylish' | 'json';
  output?: string;
  color?: boolean;
  help: boolean;
}

export const CHECK_JOB_COMMAND = defineCommand({
  name: 'apptainer-gen check-job',
  usage: CHECK_JOB_USAGE,
  options: {
    image: { type: 'string', short: 'i' },
    def: { type: 'string' }, // alias of --image
    format: { type: 'string', short: 'f', choices: ['stylish', 'json'] },
    output: { type: 'string', short: 'o' },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
  },
});

/** Parses argv (strictly; see ../args.ts). Throws `UsageError`. */
export function parseCheckJobArgs(argv: string[]): CheckJobArgs {
  return checkJobArgsFrom(parseCommandArgs(CHECK_JOB_COMMAND, argv));
}

function checkJobArgsFrom(parsed: ParsedArgs<typeof CHECK_JOB_COMMAND>): CheckJobArgs {
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw usageError(CHECK_JOB_COMMAND, `only one job script can be checked at a time (got '${positionals[0]}' and '${positionals[1]}')`);
  }
  const color = parsed.last('color', 'no-color');
  return {
    job: positionals[0],
    image: parsed.last('image', 'def')?.value,
    format: (values.format ?? 'stylish') as CheckJobArgs['format'],
    output: values.output,
    color: color ? color.name === 'color' : undefined,
    help: parsed.help,
  };
}

/** The error without the path, which the caller already prints as `file:1:1:`. */
function reason(err: unknown): string {
  const message = errorMessage(err);
  const path = err && typeof err === 'object' && 'path' in err ? String((err as { path: unknown }).path) : undefined;
  return path && message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseOrExit(CHECK_JOB_COMMAND, argv, checkJobArgsFrom);
  if (typeof args === 'number') return args;
  if (args.job === undefined || args.image === undefined) {
    return reportUsageError(CHECK_JOB_COMMAND, `missing ${args.job === undefined ? 'a job script' : '--image app.def'}`);
  }
  if (args.job === '-' && args.image === '-') {
    return reportUsageError(CHECK_JOB_COMMAND, 'the job script and the image cannot both come from stdin');
  }

  const jobName = args.job === '-' ? '<stdin>' : args.job;
  const defName = args.image === '-' ? '<stdin>' : args.image;
  let jobText: string;
  let defText: string;
  try {
    jobText = (await readInput(args.job)).text;
  } catch (err) {
    process.stderr.write(`${jobName}:1:1: cannot read the job script: ${reason(err)}\n`);
    return 2;
  }
  try {
    defText = (await readInput(args.image)).text;
  } catch (err) {
    process.stderr.write(`${defName}:1:1: cannot read the definition file: ${reason(err)}\n`);
    return 2;
  }

  // The report's destination is checked before anything else is done; never one of the inputs.
  let reportPlan;
  try {
    if (args.output && (sameFile(args.output, args.job) || sameFile(args.output, args.image))) {
      throw new Error(`${args.output}: is one of the inputs; refusing to overwrite it with the report`);
    }
    reportPlan = args.output ? planOutput(args.output) : undefined;
  } catch (err) {
    process.stderr.write(`apptainer-gen check-job: ${errorMessage(err)}\n`);
    return 2;
  }

  const { checkJobScript } = await import('../../lint/jobscript.js');
  const result = await checkJobScript(jobText, defText, { jobFilename: jobName, defFilename: defName });
  if (!result.profile) {
    process.stderr.write(
      `${defName}:1:1: note: no MPI information found (no org.apptainer-gen.mpi.* labels, no MPI build or MPI packages in %post); nothing to check\n`,
    );
  } else if (result.launches.length === 0) {
    process.stderr.write(`${jobName}:1:1: note: no 'srun|mpirun ... apptainer exec|run IMAGE' launch found; nothing to check\n`);
  }

  const output = await render(args, jobName, jobText, result.findings);
  try {
    if (reportPlan) writePlanned(reportPlan, output);
    else process.stdout.write(output);
  } catch (err) {
    process.stderr.write(`${args.output}:1:1: cannot write the report: ${reason(err)}\n`);
    return 2;
  }
  return result.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

async function render(args: CheckJobArgs, jobName: string, jobText: string, findings: Finding[]): Promise<string> {
  const { formatResults } = await import('../../report/index.js');
  const { VERSION } = await import('../../version.js');
  return formatResults(args.format, [{ path: jobName, text: jobText, findings }], {
    color: colorWanted(args.color, args.output !== undefined),
    version: VERSION,
  });
}
