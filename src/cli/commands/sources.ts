// `apptainer-gen sources RECIPE.yaml [--source-mirror URL|DIR]`: every release tarball the
// generated def fetches, so a site without internet can fill its mirror first.
import { defineCommand, parseOrExit, reportUsageError } from '../args.js';
import { errorMessage, readInput } from '../io.js';

const HELP = `Usage: apptainer-gen sources RECIPE.yaml [--source-mirror URL|DIR]

Lists every release tarball the definition file generated from RECIPE.yaml fetches, one per
line, tab-separated:

  NAME  FILE  URL  SHA256

NAME is the component (the key under 'sources:'), FILE the name the tarball must have in a
mirror, URL where to download it (upstream, or sources.NAME.url), SHA256 its digest when the
recipe gives one, else '-'. Recipe errors are reported as in 'generate' (exit status 2).

  --source-mirror URL|DIR   as for 'generate' (it does not change the list)`;

const SOURCES_COMMAND = defineCommand({
  name: 'apptainer-gen sources',
  usage: HELP,
  options: { 'source-mirror': { type: 'string' } },
});

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrExit(SOURCES_COMMAND, argv);
  if (typeof parsed === 'number') return parsed;
  const inputs = parsed.positionals;
  if (inputs.length !== 1) return reportUsageError(SOURCES_COMMAND, `expected exactly one recipe, got ${inputs.length}`);
  const sourceMirror = parsed.values['source-mirror'];
  const { mirrorProblem } = await import('../../generate/sources.js');
  const badMirror = sourceMirror === undefined ? undefined : mirrorProblem(sourceMirror);
  if (badMirror) return reportUsageError(SOURCES_COMMAND, `option '--source-mirror': ${badMirror}`);
  const input = inputs[0];
  let text: string;
  try {
    text = (await readInput(input)).text;
  } catch (err) {
    process.stderr.write(`apptainer-gen sources: ${errorMessage(err)}\n`);
    return 2;
  }
  const { listSources } = await import('../../generate/index.js');
  const result = listSources(text, { filename: input === '-' ? '<stdin>' : input, sourceMirror });
  for (const w of result.warnings) process.stderr.write(`${w.file}:${w.line}:${w.column}: warning: ${w.message}\n`);
  if (!result.ok) {
    for (const e of result.errors) process.stderr.write(`${e.file}:${e.line}:${e.column}: error: ${e.message}\n`);
    return 2;
  }
  process.stdout.write(result.listing);
  return 0;
}
