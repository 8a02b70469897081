// `apptainer-gen parse FILE... [--format apptainer-json|json]`
import { parse } from '../../parse/index.js';
import type { ParsedFile } from '../../parse/model.js';
import { errorMessage, readText } from '../io.js';

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

export async function run(argv: string[]): Promise<number> {
  let format = 'apptainer-json';
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      process.stdout.write(HELP + '\n');
      return 0;
    } else if (a === '--format' || a === '-f') format = argv[++i] ?? '';
    else if (a.startsWith('--format=')) format = a.slice('--format='.length);
    else if (a.startsWith('-') && a !== '-') {
      process.stderr.write(`apptainer-gen parse: unknown option ${a}\n${HELP}\n`);
      return 2;
    } else files.push(a);
  }
  if (format !== 'apptainer-json' && format !== 'json') {
    process.stderr.write(`apptainer-gen parse: --format must be apptainer-json or json, not '${format}'\n`);
    return 2;
  }
  if (files.length === 0) {
    process.stderr.write(`apptainer-gen parse: no input files\n${HELP}\n`);
    return 2;
  }
  let status = 0;
  const out: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readText(file);
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
