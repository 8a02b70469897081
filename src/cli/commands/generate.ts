// `apptainer-gen [generate] RECIPE.yaml [-o app.def] [--job-script job.sh]`
import { defineCommand, parseOrExit, reportUsageError } from '../args.js';
import { errorMessage, readText, writeFileAtomic } from '../io.js';

const HELP = `Usage: apptainer-gen [generate] RECIPE.yaml [-o FILE] [--job-script FILE]

Generates an Apptainer definition file from a YAML recipe (see 'apptainer-gen schema').

  -o, --output FILE     write the definition file to FILE (atomically) instead of stdout
  --job-script FILE     also write a Slurm batch script with the launch line for the MPI
                        model (default: jobScript.path from the recipe, if any)
  -                     read the recipe from standard input

Warnings go to stderr as FILE:LINE:COLUMN: warning: MESSAGE and do not stop the output.
On errors nothing is written and the exit status is 2.`;

const GENERATE_COMMAND = defineCommand({
  name: 'apptainer-gen generate',
  usage: HELP,
  options: {
    output: { type: 'string', short: 'o' },
    'job-script': { type: 'string' },
  },
});

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrExit(GENERATE_COMMAND, argv);
  if (typeof parsed === 'number') return parsed;
  const { output, 'job-script': jobScriptFile } = parsed.values;
  const inputs = parsed.positionals;
  if (output === '') return reportUsageError(GENERATE_COMMAND, "option '--output' needs a file name");
  if (jobScriptFile === '') return reportUsageError(GENERATE_COMMAND, "option '--job-script' needs a file name");
  if (inputs.length !== 1) return reportUsageError(GENERATE_COMMAND, `expected exactly one recipe, got ${inputs.length}`);
  const input = inputs[0];
  const name = input === '-' ? '<stdin>' : input;
  let text: string;
  try {
    text = readText(input);
  } catch (err) {
    process.stderr.write(`apptainer-gen generate: ${errorMessage(err)}\n`);
    return 2;
  }
  const { generate } = await import('../../generate/index.js');
  const result = generate(text, { filename: name, jobScript: jobScriptFile !== undefined, defFile: output });
  for (const w of result.warnings) process.stderr.write(`${w.file}:${w.line}:${w.column}: warning: ${w.message}\n`);
  if (!result.ok) {
    for (const e of result.errors) process.stderr.write(`${e.file}:${e.line}:${e.column}: error: ${e.message}\n`);
    return 2;
  }
  const jobTarget = jobScriptFile ?? result.jobScriptPath;
  try {
    if (output) writeFileAtomic(output, result.def);
    if (jobTarget && result.jobScript !== undefined) writeFileAtomic(jobTarget, result.jobScript);
    if (!output) process.stdout.write(result.def);
  } catch (err) {
    process.stderr.write(`apptainer-gen generate: ${errorMessage(err)}\n`);
    return 2;
  }
  const written = [output, jobTarget && result.jobScript !== undefined ? jobTarget : undefined].filter(Boolean);
  if (written.length > 0) {
    const helpIn = output ? ` (the %help section of ${output} has the build and run commands)` : '';
    process.stderr.write(`apptainer-gen: wrote ${written.join(' and ')}${helpIn}\n`);
  }
  return 0;
}
