// `apptainer-gen schema`: prints the recipe JSON Schema (for editors and yaml-language-server).
import { defineCommand, parseOrExit } from '../args.js';
import { errorMessage } from '../io.js';

const SCHEMA_COMMAND = defineCommand({
  name: 'apptainer-gen schema',
  usage: 'Usage: apptainer-gen schema\n\nPrints the JSON Schema (2020-12) of generator recipes.',
  options: {},
  positionals: false,
});

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrExit(SCHEMA_COMMAND, argv);
  if (typeof parsed === 'number') return parsed;
  try {
    const { schemaText } = await import('../../generate/index.js');
    process.stdout.write(schemaText());
    return 0;
  } catch (err) {
    process.stderr.write(`apptainer-gen schema: ${errorMessage(err)}\n`);
    return 2;
  }
}
