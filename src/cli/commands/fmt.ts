// `apptainer-gen fmt [--check] [--write] FILE...`: canonical layout for def files.
//   no flag   print the formatted text (one file, or `-` for stdin)
//   --write   rewrite changed files in place (atomically)
//   --check   list the files that would change; exit 1 if any would
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const HELP = `Usage: apptainer-gen fmt [--check | --write] FILE...

Formats Apptainer definition files: canonical header keys (Bootstrap:, From:, MirrorURL: ...),
Bootstrap: first, one blank line after the header and after %files/%labels, no trailing
whitespace where Apptainer ignores it, LF line ends and a final newline. Script bodies are
never changed, and a file is only rewritten when Apptainer would parse it exactly as before.

Options:
  --check   exit 1 and list the files that are not formatted
  --write   rewrite the files in place
  -h, --help
Without --check or --write, prints the formatted text of one FILE (or - for stdin).`;

export async function run(argv: string[]): Promise<number> {
  let check = false;
  let write = false;
  const files: string[] = [];
  for (const arg of argv) {
    if (arg === '--check') check = true;
    else if (arg === '--write' || arg === '-w') write = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(HELP + '\n');
      return 0;
    } else if (arg.startsWith('-') && arg !== '-') {
      process.stderr.write(`apptainer-gen fmt: unknown option '${arg}'\n\n${HELP}\n`);
      return 2;
    } else files.push(arg);
  }
  if (files.length === 0) {
    process.stderr.write(`apptainer-gen fmt: no files given\n\n${HELP}\n`);
    return 2;
  }
  if (!check && !write && files.length > 1) {
    process.stderr.write('apptainer-gen fmt: printing needs exactly one file (use --write or --check for several)\n');
    return 2;
  }
  if (write && files.includes('-')) {
    process.stderr.write('apptainer-gen fmt: --write cannot rewrite stdin\n');
    return 2;
  }

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
