// `apptainer-gen fmt [--check] [--write] FILE...`: canonical layout for def files.
//   no flag   print the formatted text (one file, or `-` for stdin)
//   --write   rewrite changed files in place (atomically)
//   --check   list the files that would change; exit 1 if any would
import { defineCommand, parseOrExit, reportUsageError } from '../args.js';
import { FileError, readInput, writeOutput, type Input } from '../io.js';

const HELP = `Usage: apptainer-gen fmt [--check | --write] FILE...

Formats Apptainer definition files: canonical header keys (Bootstrap:, From:, MirrorURL: ...),
Bootstrap: first, one blank line after the header and after %files/%labels, no trailing
whitespace where Apptainer ignores it, LF line ends and a final newline. Script bodies are
never changed, and a file is only rewritten when Apptainer would parse it exactly as before.

Options:
  --check      exit 1 and list the files that are not formatted
  -w, --write  rewrite the files in place (keeping mode, owner and links; a file that is
               not valid UTF-8 text is left untouched and reported)
      --force  also rewrite read-only files
  -h, --help   show this help
Without --check or --write, prints the formatted text of one FILE (or - for stdin).`;

const FMT_COMMAND = defineCommand({
  name: 'apptainer-gen fmt',
  usage: HELP,
  options: {
    check: { type: 'boolean' },
    write: { type: 'boolean', short: 'w' },
    force: { type: 'boolean' },
  },
});

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrExit(FMT_COMMAND, argv);
  if (typeof parsed === 'number') return parsed;
  const check = parsed.values.check === true;
  const write = parsed.values.write === true;
  const force = parsed.values.force === true;
  const files = parsed.positionals;
  if (files.length === 0) return reportUsageError(FMT_COMMAND, 'no files given');
  if (!check && !write && files.length > 1) {
    return reportUsageError(FMT_COMMAND, 'printing needs exactly one file (use --write or --check for several)');
  }
  if (write && files.includes('-')) return reportUsageError(FMT_COMMAND, '--write cannot rewrite stdin');

  const { format } = await import('../../format/index.js');
  let inputErrors = 0;
  const unformatted: string[] = [];
  const rewrite = (file: string, formatted: string, input: Input): boolean => {
    try {
      // Formatting decodes the file: rewriting invalid UTF-8 or binary bytes would replace them.
      if (!input.isText) throw new FileError(file, 'not valid UTF-8 text (or binary); left unchanged');
      writeOutput(file, formatted, { force });
      return true;
    } catch (err) {
      process.stderr.write(`${file}:1:1: cannot write file: ${err instanceof FileError ? err.reason : String(err)}\n`);
      inputErrors++;
      return false;
    }
  };
  for (const file of files) {
    let input: Input;
    try {
      input = await readInput(file);
    } catch (err) {
      process.stderr.write(`${file}:1:1: cannot read file: ${err instanceof FileError ? err.reason : String(err)}\n`);
      inputErrors++;
      continue;
    }
    const text = input.text;
    const formatted = format(text);
    const changed = formatted !== text;
    if (check) {
      if (changed) unformatted.push(file);
      if (write && changed) rewrite(file, formatted, input);
    } else if (write) {
      if (changed && rewrite(file, formatted, input)) process.stderr.write(`formatted ${file}\n`);
    } else {
      process.stdout.write(formatted);
    }
  }
  if (check && unformatted.length > 0) {
    for (const file of unformatted) process.stdout.write(`${file}\n`);
    process.stderr.write(`${unformatted.length} file${unformatted.length === 1 ? '' : 's'} would be reformatted (run: apptainer-gen fmt --write)\n`);
  }
  if (inputErrors > 0) return 2;
  return check && unformatted.length > 0 ? 1 : 0;
}
