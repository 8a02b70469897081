// `apptainer-gen fmt [--check] [--write] FILE...`: canonical layout for def files.
//   no flag   print the formatted text (one file, or `-` for stdin)
//   --write   rewrite changed files in place (atomically)
//   --check   list the files that would change; exit 1 if any would
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { defineCommand, parseOrExit, reportUsageError } from '../args.js';

const HELP = `Usage: apptainer-gen fmt [--check | --write] FILE...

Formats Apptainer definition files: canonical header keys (Bootstrap:, From:, MirrorURL: ...),
Bootstrap: first, one blank line after the header and after %files/%labels, no trailing
whitespace where Apptainer ignores it, LF line ends and a final newline. Script bodies are
never changed, and a file is only rewritten when Apptainer would parse it exactly as before.

Options:
  --check      exit 1 and list the files that are not formatted
  -w, --write  rewrite the files in place
  -h, --help   show this help
Without --check or --write, prints the formatted text of one FILE (or - for stdin).`;

const FMT_COMMAND = defineCommand({
  name: 'apptainer-gen fmt',
  usage: HELP,
  options: {
    check: { type: 'boolean' },
    write: { type: 'boolean', short: 'w' },
  },
});

export async function run(argv: string[]): Promise<number> {
  const parsed = parseOrExit(FMT_COMMAND, argv);
  if (typeof parsed === 'number') return parsed;
  const check = parsed.values.check === true;
  const write = parsed.values.write === true;
  const files = parsed.positionals;
  if (files.length === 0) return reportUsageError(FMT_COMMAND, 'no files given');
  if (!check && !write && files.length > 1) {
    return reportUsageError(FMT_COMMAND, 'printing needs exactly one file (use --write or --check for several)');
  }
  if (write && files.includes('-')) return reportUsageError(FMT_COMMAND, '--write cannot rewrite stdin');

  const { format } = await import('../../format/index.js');
  let inputErrors = 0;
  const unformatted: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
    } catch (err) {
      process.stderr.write(`${file}:1:1: cannot read file: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
      inputErrors++;
      continue;
    }
    const formatted = format(text);
    const changed = formatted !== text;
    if (check) {
      if (changed) unformatted.push(file);
      if (write && changed) await writeAtomically(file, formatted).catch((err) => {
        process.stderr.write(`${file}:1:1: cannot write file: ${String(err)}\n`);
        inputErrors++;
      });
    } else if (write) {
      if (changed) {
        try {
          await writeAtomically(file, formatted);
          process.stderr.write(`formatted ${file}\n`);
        } catch (err) {
          process.stderr.write(`${file}:1:1: cannot write file: ${String(err)}\n`);
          inputErrors++;
        }
      }
    } else {
      process.stdout.write(formatted);
    }
  }
  if (check && unformatted.length > 0) {
    for (const file of unformatted) process.stdout.write(`${file}\n`);
    process.stderr.write(
      `${unformatted.length} file${unformatted.length === 1 ? '' : 's'} would be reformatted (run: apptainer-gen fmt --write)\n`,
    );
  }
  if (inputErrors > 0) return 2;
  return check && unformatted.length > 0 ? 1 : 0;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Temp file in the same folder + rename, keeping the original file's mode. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const mode = (await stat(file)).mode & 0o7777;
  try {
    await writeFile(temp, text, { mode });
    await rename(temp, file);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}
