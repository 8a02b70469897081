// `apptainer-gen [generate] RECIPE.yaml [-o app.def] [--job-script job.sh]`
import { errorMessage, readText, writeFileAtomic } from '../io.js';

const HELP = `Usage: apptainer-gen [generate] RECIPE.yaml [-o FILE] [--job-script FILE]

Generates an Apptainer definition file from a YAML recipe (see 'apptainer-gen schema').

  -o, --output FILE     write the definition file to FILE (atomically) instead of stdout
  --job-script FILE     also write a Slurm batch script with the launch line for the MPI
                        model (default: jobScript.path from the recipe, if any)
  -                     read the recipe from standard input

Warnings go to stderr as FILE:LINE:COLUMN: warning: MESSAGE and do not stop the output.
On errors nothing is written and the exit status is 2.`;

export async function run(argv: string[]): Promise<number> {
  let output: string | undefined;
  let jobScriptFile: string | undefined;
  const inputs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      process.stdout.write(HELP + '\n');
      return 0;
    } else if (a === '-o' || a === '--output') output = argv[++i];
    else if (a.startsWith('--output=')) output = a.slice('--output='.length);
    else if (a === '--job-script') jobScriptFile = argv[++i];
    else if (a.startsWith('--job-script=')) jobScriptFile = a.slice('--job-script='.length);
    else if (a.startsWith('-') && a !== '-') {
      process.stderr.write(`apptainer-gen generate: unknown option ${a}\n${HELP}\n`);
      return 2;
    } else inputs.push(a);
  }
  if ((argv.includes('-o') || argv.includes('--output')) && !output) {
    process.stderr.write('apptainer-gen generate: -o needs a file name\n');
    return 2;
  }
  if (argv.includes('--job-script') && !jobScriptFile) {
    process.stderr.write('apptainer-gen generate: --job-script needs a file name\n');
    return 2;
  }
  if (inputs.length !== 1) {
    process.stderr.write(`apptainer-gen generate: expected exactly one recipe, got ${inputs.length}\n${HELP}\n`);
    return 2;
  }
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
  const result = generate(text, { filename: name, jobScript: jobScriptFile !== undefined });
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
  return 0;
}
