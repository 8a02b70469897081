// `apptainer-gen [generate] RECIPE.yaml [-o app.def] [--job-script job.sh]`
import { dirname, join } from 'node:path';
import { defineCommand, parseOrExit, reportUsageError } from '../args.js';
import { errorMessage, planOutput, readInput, sameFile, writePlanned, type Input } from '../io.js';

const HELP = `Usage: apptainer-gen [generate] RECIPE.yaml [-o FILE] [--job-script FILE] [--source-mirror URL|DIR]

Generates an Apptainer definition file from a YAML recipe (see 'apptainer-gen schema').

  -o, --output FILE     write the definition file to FILE (atomically) instead of stdout
  --job-script FILE     also write a Slurm batch script with the launch line for the MPI
                        model (default: jobScript.path from the recipe, if any, relative to
                        the folder of -o)
  --source-mirror URL|DIR
                        take every release tarball from this mirror instead of its URL
                        (replaces sources.mirror): URL/FILE is downloaded, or DIR/FILE on
                        this host is copied into the build stage with %files; FILE names
                        are listed by 'apptainer-gen sources RECIPE.yaml'
  --force               rewrite read-only output files
  -                     read the recipe from standard input

Warnings go to stderr as FILE:LINE:COLUMN: warning: MESSAGE and do not stop the output.
On errors nothing is written and the exit status is 2; every output is checked before the
first one is written.`;

const GENERATE_COMMAND = defineCommand({
  name: 'apptainer-gen generate',
  usage: HELP,
  options: {
    output: { type: 'string', short: 'o' },
    'job-script': { type: 'string' },
    'source-mirror': { type: 'string' },
    force: { type: 'boolean' },
  },
});

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrExit(GENERATE_COMMAND, argv);
  if (typeof parsed === 'number') return parsed;
  const { output, 'job-script': jobScriptFile, 'source-mirror': sourceMirror, force } = parsed.values;
  const inputs = parsed.positionals;
  if (output === '') return reportUsageError(GENERATE_COMMAND, "option '--output' needs a file name");
  if (jobScriptFile === '') return reportUsageError(GENERATE_COMMAND, "option '--job-script' needs a file name");
  if (inputs.length !== 1) return reportUsageError(GENERATE_COMMAND, `expected exactly one recipe, got ${inputs.length}`);
  const { mirrorProblem } = await import('../../generate/sources.js');
  const badMirror = sourceMirror === undefined ? undefined : mirrorProblem(sourceMirror);
  if (badMirror) return reportUsageError(GENERATE_COMMAND, `option '--source-mirror': ${badMirror}`);
  const input = inputs[0];
  const name = input === '-' ? '<stdin>' : input;
  const fail = (message: string) => {
    process.stderr.write(`apptainer-gen generate: ${message}\n`);
    return 2;
  };
  let recipe: Input;
  try {
    recipe = await readInput(input);
  } catch (err) {
    return fail(errorMessage(err));
  }
  const { generate } = await import('../../generate/index.js');
  const result = generate(recipe.text, { filename: name, jobScript: jobScriptFile !== undefined, defFile: output, sourceMirror });
  for (const w of result.warnings) process.stderr.write(`${w.file}:${w.line}:${w.column}: warning: ${w.message}\n`);
  if (!result.ok) {
    for (const e of result.errors) process.stderr.write(`${e.file}:${e.line}:${e.column}: error: ${e.message}\n`);
    return 2;
  }
  // The recipe's jobScript.path is relative to the def's folder (the schema keeps it inside).
  const jobTarget = jobScriptFile ?? (result.jobScriptPath !== undefined ? join(output ? dirname(output) : '.', result.jobScriptPath) : undefined);
  const targets = [output, result.jobScript !== undefined ? jobTarget : undefined].filter((path): path is string => path !== undefined);
  let plans;
  try {
    for (const target of targets) if (sameFile(target, input)) return fail(`${target}: is the input recipe; refusing to overwrite it`);
    if (targets.length === 2 && (targets[0] === targets[1] || sameFile(targets[0], targets[1]))) {
      return fail(`${targets[1]}: the definition file and the job script would be the same file`);
    }
    plans = targets.map((target) => planOutput(target, { force }));
  } catch (err) {
    return fail(errorMessage(err));
  }
  try {
    for (const [index, plan] of plans.entries()) writePlanned(plan, targets[index] === output ? result.def : result.jobScript!);
    if (!output) process.stdout.write(result.def);
  } catch (err) {
    return fail(errorMessage(err));
  }
  if (targets.length > 0) {
    const helpIn = output ? ` (the %help section of ${output} has the build and run commands)` : '';
    process.stderr.write(`apptainer-gen: wrote ${targets.join(' and ')}${helpIn}\n`);
  }
  return 0;
}
