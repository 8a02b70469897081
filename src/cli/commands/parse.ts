// `apptainer-gen parse FILE... [--format apptainer-json|json]`
import { isAscii } from 'node:buffer';
import { parseApptainerResult } from '../../parse/apptainer-result.js';
import type { ApptainerResult, ParsedFile } from '../../parse/model.js';

// The full parser is loaded only when the output or a diagnosis needs it, and without the grammar
// (chevrotain): neither output holds the lossless syntax tree.
// Loaded once (an import() per rejected file resolved the module again each time).
let fullParserLoaded: Promise<(text: string, filename: string) => ParsedFile> | undefined;
const fullParser = () =>
  (fullParserLoaded ??= import('../../parse/file.js').then(
    ({ parseModel }) =>
      (text: string, filename: string) =>
        parseModel(text, { filename }, () => {
          throw new Error('apptainer-gen parse does not build the syntax tree');
        }),
  ));
import { tuneForBatch } from '../batch-tuning.js';
import { defineCommand, parseOrExit, reportUsageError } from '../args.js';
import { ChunkedWriter, errorMessage, readInput, readTextBounded, type TextInput } from '../io.js';

const HELP = `Usage: apptainer-gen parse FILE... [--format apptainer-json|json]

  --format apptainer-json  one JSON line per file, shaped like Apptainer's own parse result
                           (default)
  --format json            this tool's model with positions, for tools
  -                        read standard input`;

/** One line per file, shaped like Apptainer's parser.All result (without raw/fullraw). */
export function apptainerJson(file: string, r: ApptainerResult): Record<string, unknown> {
  if (r.ok) return { file, ok: true, defs: r.defs };
  return {
    file,
    ok: false,
    error: r.error,
    ...(r.invalidSections ? { invalidSections: r.invalidSections } : {}),
  };
}

function modelJson(file: string, parsed: ParsedFile): Record<string, unknown> {
  // Field by field: reading `tree` would build it.
  const { filename, stages, diagnostics, apptainer } = parsed;
  return { file, filename, stages, diagnostics, apptainer };
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
  // One file is the cold start that matters; loading node:v8 would cost more than it saves there.
  const counted = files.length > 1 ? await batchTuning() : undefined;
  const out = new ChunkedWriter(process.stdout);
  let errors = '';
  for (const file of files) {
    let input: TextInput;
    try {
      // A file is read synchronously (no await, and so no promise and no suspended run, per file).
      input = file === '-' ? await readStdinText() : readTextBounded(file);
    } catch (err) {
      errors += `apptainer-gen parse: ${errorMessage(err)}\n`;
      status = 2;
      continue;
    }
    const { text } = input;
    counted?.(text.length);
    const name = file === '-' ? '<stdin>' : file;
    let diagnosed: ParsedFile | undefined;
    if (format === 'json') {
      diagnosed = (await fullParser())(text, file);
      out.writeLine(JSON.stringify(modelJson(name, diagnosed)), false);
      if (!diagnosed.apptainer.ok && status === 0) status = 1;
    } else {
      // Apptainer's result alone, without the positioned model. Only a file Apptainer rejects, or
      // one holding a byte order mark, has parse diagnostics (test/parse/apptainer-result.test.ts),
      // so only then is the full parse run.
      const result = parseApptainerResult(text);
      // From ASCII text and an ASCII name the line is ASCII: its strings are pieces of the text,
      // lower-cased header keys and section names, and the ASCII messages of apptainer-result.ts
      // (test/cli/parse-command.test.ts); JSON.stringify escapes to ASCII.
      out.writeLine(JSON.stringify(apptainerJson(name, result)), input.ascii && Buffer.byteLength(name) === name.length);
      if (!result.ok || (!input.ascii && text.includes('\ufeff'))) diagnosed = (await fullParser())(text, file);
      if (!result.ok && status === 0) status = 1;
    }
    if (!diagnosed) continue;
    for (const d of diagnosed.diagnostics) {
      errors += `${name}:${d.range.start.line}:${d.range.start.column}: ${d.severity}: ${d.message} [${d.code}]\n`;
    }
  }
  out.flush();
  if (errors) process.stderr.write(errors);
  return status;
}

async function batchTuning(): Promise<(bytes: number) => void> {
  const { default: v8 } = await import('node:v8');
  return tuneForBatch((flags) => v8.setFlagsFromString(flags));
}

/** Standard input's text (`-`). */
async function readStdinText(): Promise<TextInput> {
  const { text, bytes } = await readInput('-');
  return { text, ascii: isAscii(bytes), size: bytes.length };
}
