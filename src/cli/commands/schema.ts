// `apptainer-gen schema`: prints the recipe JSON Schema (for editors and yaml-language-server).
import { errorMessage } from '../io.js';

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('Usage: apptainer-gen schema\n\nPrints the JSON Schema (2020-12) of generator recipes.\n');
    return 0;
  }
  if (argv.length) {
    process.stderr.write(`apptainer-gen schema: unexpected argument ${argv[0]}\n`);
    return 2;
  }
  try {
    const { schemaText } = await import('../../generate/index.js');
    process.stdout.write(schemaText());
    return 0;
  } catch (err) {
    process.stderr.write(`apptainer-gen schema: ${errorMessage(err)}\n`);
    return 2;
  }
}
