// `apptainer-gen parse FILE... [--format apptainer-json|json]`
import { parse } from '../../parse/index.js';
import type { ParsedFile } from '../../parse/model.js';
import { defineCommand, parseOrExit, reportUsageError } from '../args.js';
import { errorMessage, readInput } from '../io.js';

const HELP = `Usage: apptainer-gen parse FILE... [--format apptainer-json|json]

  --format apptainer-json  one JSON line per file, shaped like Apptainer's own parse result
                           (default)
  --format json            this tool's model with positions, for tools
  -                        read standard input`;

/** One line per file, shaped like Apptainer's parser.All result (without raw/fullraw). */
export function apptainerJson(file: string, parsed: ParsedFile): Record<string, unknown> {
  const r = parsed.apptainer;
  if (r.ok) return { file, ok: true, defs: r.defs };
  return {
    file,
    ok: false,
    error: r.error,
    ...(r.invalidSections ? { invalidSections: r.invalidSections } : {}),
  };
}

function modelJson(file: string, parsed: ParsedFile): Record<string, unknown> {
  const { text: _text, positionAt: _p, tree: _tree, ...rest } = parsed;
  return { file, ...rest };
}

const PARSE_COMMAND = defineCommand({
  name: 'apptainer-gen parse',
  usage: HELP,
  options: {
    format: { type: 'string', short: 'f', choices: ['apptainer-json', 'json'] },
  },
});

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrExit(PARSE_COMMAND, argv);
  if (typeof parsed === 'number') return parsed;
  const format = parsed.values.format ?? 'apptainer-json';
  const files = parsed.positionals;
  if (files.length === 0) return reportUsageError(PARSE_COMMAND, 'no input files');
  let status = 0;
  const out: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = (await readInput(file)).text;
    } catch (err) {
      process.stderr.write(`apptainer-gen parse: ${errorMessage(err)}\n`);
      status = 2;
      continue;
    }
    const parsed = parse(text, { filename: file });
    const name = file === '-' ? '<stdin>' : file;
    out.push(JSON.stringify(format === 'json' ? modelJson(name, parsed) : apptainerJson(name, parsed)));
    if (!parsed.apptainer.ok && status === 0) status = 1;
    for (const d of parsed.diagnostics) {
      process.stderr.write(`${name}:${d.range.start.line}:${d.range.start.column}: ${d.severity}: ${d.message} [${d.code}]\n`);
    }
  }
  process.stdout.write(out.length ? out.join('\n') + '\n' : '');
  return status;
}
