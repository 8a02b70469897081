// Command dispatcher. Each command lives in its own module and is imported only when used,
// so `apptainer-lint x.def` never loads the generator and vice versa.
import { quietOnClosedPipe, runCommand } from './run-command.js';

export type CommandRunner = (argv: string[]) => Promise<number>;

const commands: Record<string, () => Promise<{ run: CommandRunner }>> = {
  parse: () => import('./commands/parse.js'),
  generate: () => import('./commands/generate.js'),
  schema: () => import('./commands/schema.js'),
  sources: () => import('./commands/sources.js'),
  lint: () => import('./commands/lint.js'),
  rules: () => import('./commands/rules.js'),
  explain: () => import('./commands/explain.js'),
  fmt: () => import('./commands/fmt.js'),
  lsp: () => import('./commands/lsp.js'),
  'check-job': () => import('./commands/check-job.js'),
  doctor: () => import('./commands/doctor.js'),
};

export const USAGE = `Usage: apptainer-gen <command> [options]

Commands:
  RECIPE.yaml [-o app.def]      generate a def file from a recipe (same as: generate RECIPE.yaml)
  generate RECIPE.yaml          generate a def file (and --job-script FILE)
  sources RECIPE.yaml           list the release tarballs a recipe downloads (to fill a mirror)
  schema                        print the recipe JSON Schema
  lint [PATH|GLOB|-]...         lint def files (also installed as apptainer-lint)
  rules                         list lint rules
  explain RULE                  show a rule's documentation
  fmt [--check|--write] FILE... format def files
  parse FILE... [--format apptainer-json|json]
                                parse def files
  lsp --stdio                   run the language server
  check-job JOB.sh --image app.def
                                check a Slurm job script against an image's MPI/PMI labels
  doctor [--image app.def] [--job job.sh] [--write-host host.yaml]
                                check that an image fits this host (PMI, MPI, ABI, GPU driver)

Run 'apptainer-gen <command> --help' for a command's options.`;

export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(USAGE + '\n');
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-v') {
    const { VERSION } = await import('../version.js');
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  const load = commands[first];
  if (load) return runCommand(async (args) => (await load()).run(args), rest);
  if (/\.(ya?ml)$/i.test(first) || first === '-') return runCommand(async (args) => (await commands.generate()).run(args), argv);
  process.stderr.write(`apptainer-gen: unknown command '${first}'\n\n${USAGE}\n`);
  return 2;
}
