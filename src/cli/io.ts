// I/O shared by the commands: bounded reads, and writes that land where and how the user meant
// (see docs/security.md). Reads stop at MAX_INPUT_BYTES, so /dev/zero or a runaway pipe cannot
// exhaust memory. Writes replace a regular file atomically (temporary file + rename) keeping its
// mode and owner, follow a symlink to its target, write a FIFO or device directly, refuse
// read-only files unless forced, and never leave a temporary file behind on SIGINT/SIGTERM/SIGHUP.
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  lstatSync,
  readlinkSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { isAscii } from 'node:buffer';
import { basename, dirname, join, resolve } from 'node:path';

export class UsageError extends Error {}

/** Largest input read (a def file, recipe, job script, config). Real ones are a few KiB. */
export const MAX_INPUT_BYTES = 8 * 1024 * 1024;

/** An input or output problem, already worded with the user's path (exit code 2). */
export class FileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'FileError';
  }
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  ELOOP: 'too many levels of symbolic links',
};

function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return (code && ERRNO_TEXT[code]) ?? (err instanceof Error ? err.message : String(err));
}

export interface Input {
  text: string;
  bytes: Buffer;
  /** False when the bytes are not valid UTF-8 (or hold NUL bytes): such files are never rewritten. */
  isText: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function toInput(bytes: Buffer): Input {
  let isText: boolean | undefined;
  return {
    text: bytes.toString('utf8'),
    bytes,
    // Checked on first use: only commands that may rewrite the file ask.
    get isText() {
      if (isText === undefined) {
        isText = !bytes.includes(0);
        if (isText) {
          try {
            utf8.decode(bytes);
          } catch {
            isText = false;
          }
        }
      }
      return isText;
    },
  };
}

function tooLarge(path: string): FileError {
  return new FileError(path, `larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB; not read`);
}

/** Reads a file (or `-`, stdin) up to MAX_INPUT_BYTES. Throws FileError naming `path`. */
export async function readInput(path: string): Promise<Input> {
  if (path === '-') return toInput(await readStdinBounded());
  return readFileBounded(path);
}

/** Opens `path` for reading; a failure becomes a FileError naming it. */
function openForReading(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (err) {
    throw new FileError(path, errnoText(err));
  }
}

/** Reads into `buffer` from `at` to its end; returns the count (0 at the end of the file). */
function readInto(path: string, fd: number, buffer: Buffer, at: number): number {
  try {
    return readSync(fd, buffer, at, buffer.length - at, null);
  } catch (err) {
    throw new FileError(path, errnoText(err));
  }
}

/** Synchronous bounded read (for many small files, an async read costs more than the read). */
export function readFileBounded(path: string): Input {
  const fd = openForReading(path);
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw new FileError(path, 'is a directory');
    if (stats.isFile() && stats.size > MAX_INPUT_BYTES) throw tooLarge(path);
    const chunks: Buffer[] = [];
    let total = 0;
    // A regular file is read into one buffer of its size (plus one byte, to see the end without a
    // second buffer); anything else, or a file that grows meanwhile, in 64 KiB chunks.
    let chunk = Buffer.allocUnsafe(stats.isFile() ? Math.min(stats.size, MAX_INPUT_BYTES) + 1 : 64 * 1024);
    let used = 0;
    for (;;) {
      if (used === chunk.length) {
        chunks.push(chunk);
        chunk = Buffer.allocUnsafe(64 * 1024);
        used = 0;
      }
      const count = readInto(path, fd, chunk, used);
      if (count === 0) break;
      used += count;
      total += count;
      if (total > MAX_INPUT_BYTES) throw tooLarge(path);
    }
    chunks.push(chunk.subarray(0, used));
    return toInput(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total));
  } finally {
    closeSync(fd);
  }
}

export interface TextInput {
  text: string;
  /** Every byte is below 0x80: the text has one character per byte, all ASCII. */
  ascii: boolean;
  /** Bytes read. */
  size: number;
}

/** The buffer readTextBounded reads into, kept from file to file (it grows for a large file). */
let scratch: Buffer | undefined;

/**
 * Bounded read of a file's text, for a command that reads many files and keeps only their text
 * (`parse`): the bytes go into one buffer reused from file to file, so a file costs an open,
 * reads to the end and a close, and leaves no buffer behind; all-ASCII bytes are decoded as
 * Latin-1 (the same text, copied without UTF-8 decoding). Same errors as readFileBounded.
 */
export function readTextBounded(path: string): TextInput {
  const fd = openForReading(path);
  try {
    let buffer = (scratch ??= Buffer.allocUnsafe(64 * 1024));
    let used = 0;
    let sized = false;
    for (;;) {
      if (used === buffer.length) {
        // Full at MAX_INPUT_BYTES + 1: the file is larger than the limit.
        if (used > MAX_INPUT_BYTES) throw tooLarge(path);
        let size = buffer.length * 2;
        if (!sized) {
          // A file that fills the buffer: a regular file's size says how much more to expect (and
          // an oversized one is refused without reading the rest).
          sized = true;
          const stats = fstatSync(fd);
          if (stats.isFile() && stats.size > MAX_INPUT_BYTES) throw tooLarge(path);
          if (stats.isFile()) size = Math.max(size, stats.size + 1);
        }
        const larger = Buffer.allocUnsafe(Math.min(size, MAX_INPUT_BYTES + 1));
        buffer.copy(larger, 0, 0, used);
        buffer = scratch = larger;
      }
      // A directory fails here (EISDIR), a FIFO or device is read to its end like a file.
      const count = readInto(path, fd, buffer, used);
      if (count === 0) break;
      used += count;
    }
    const bytes = buffer.subarray(0, used);
    const ascii = isAscii(bytes);
    return { text: bytes.toString(ascii ? 'latin1' : 'utf8'), ascii, size: used };
  } finally {
    closeSync(fd);
  }
}

async function readStdinBounded(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    total += (chunk as Buffer).length;
    if (total > MAX_INPUT_BYTES) {
      process.stdin.destroy();
      throw tooLarge('<stdin>');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, total);
}

/** Reads as text (compatibility helper): bounded, invalid UTF-8 decoded with U+FFFD. */
export function readText(path: string): string {
  if (path === '-') throw new Error("readText('-') is asynchronous: use readInput");
  return readFileBounded(path).text;
}

// ---- outputs ------------------------------------------------------------------------------------

export interface WriteOptions {
  /** Rewrite a read-only file (the user asked with --force). */
  force?: boolean;
}

/** What writing to a path will do, decided before anything is written. */
interface OutputPlan {
  /** The path the user gave (for messages). */
  shown: string;
  /** Where the bytes go: the symlink target for a symlink. */
  target: string;
  /** The existing file, if any. */
  existing?: Stats;
  /** Write in place (FIFO, device, hard-linked or foreign-owned file) instead of temp + rename. */
  inPlace: boolean;
}

function existingStats(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The symlink's final target (a dangling link's target gets created). */
function followLinks(path: string): string {
  let current = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let stats: Stats;
    try {
      stats = lstatSync(current);
    } catch {
      return current;
    }
    if (!stats.isSymbolicLink()) return current;
    current = resolve(dirname(current), readlinkSync(current));
  }
  throw new FileError(path, `cannot write: ${ERRNO_TEXT.ELOOP}`);
}

/**
 * Checks that `path` can be written and how, without writing anything. Throws FileError.
 * Call for every output of a command before writing the first one.
 */
export function planOutput(path: string, options: WriteOptions = {}): OutputPlan {
  const target = followLinks(path);
  let existing: Stats | undefined;
  try {
    existing = existingStats(target);
  } catch (err) {
    throw new FileError(path, `cannot write: ${errnoText(err)}`);
  }
  if (existing?.isDirectory()) throw new FileError(path, 'cannot write: is a directory');
  const special = existing !== undefined && !existing.isFile();
  if (!special) {
    const parent = existingStats(dirname(target));
    if (!parent) throw new FileError(path, `cannot write: folder ${dirname(path)} does not exist`);
    if (!parent.isDirectory()) throw new FileError(path, `cannot write: ${dirname(path)} is not a folder`);
  }
  if (existing?.isFile() && (existing.mode & 0o222) === 0 && !options.force) {
    throw new FileError(path, `is read-only (mode ${(existing.mode & 0o7777).toString(8).padStart(4, '0')}); not rewritten (use --force to rewrite it)`);
  }
  const foreignOwner = existing?.isFile() && typeof process.getuid === 'function' && process.getuid() !== 0 && existing.uid !== process.getuid();
  const inPlace = special || (existing !== undefined && (existing.nlink > 1 || !!foreignOwner));
  return { shown: path, target, existing, inPlace };
}

/** True when two paths name the same existing file (after symlinks and hard links). */
export function sameFile(a: string, b: string): boolean {
  if (a === '-' || b === '-') return false;
  const x = existingStats(a);
  const y = existingStats(b);
  return !!x && !!y && x.dev === y.dev && x.ino === y.ino;
}

const liveTemps = new Set<string>();
let signalsHooked = false;

/** Removes temporary files on SIGINT/SIGTERM/SIGHUP, then dies of the same signal. */
function hookSignals(): void {
  if (signalsHooked) return;
  signalsHooked = true;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      removeTemps();
      process.kill(process.pid, signal);
    });
  }
  process.once('exit', removeTemps);
}

function removeTemps(): void {
  for (const temp of liveTemps) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
  }
  liveTemps.clear();
}

/** Writes `content` as planned by planOutput(). Throws FileError naming the user's path. */
export function writePlanned(plan: OutputPlan, content: string | Buffer): void {
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  if (plan.inPlace) {
    // FIFO, device, hard link, someone else's file: write through, never replace the inode.
    let fd: number | undefined;
    try {
      fd = openSync(plan.target, constants.O_WRONLY | (plan.existing?.isFile() ? constants.O_TRUNC : 0));
      writeAll(fd, data);
    } catch (err) {
      throw new FileError(plan.shown, `cannot write: ${errnoText(err)}`);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    return;
  }
  hookSignals();
  const temp = join(dirname(plan.target), `.${basename(plan.target)}.${process.pid}.apptainer-gen.tmp`);
  let fd: number | undefined;
  try {
    liveTemps.add(temp);
    fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    writeAll(fd, data);
    if (plan.existing) {
      // Same mode and owner as the file it replaces (fchmod is not subject to the umask).
      if (plan.existing.uid !== process.getuid?.() || plan.existing.gid !== process.getgid?.()) fchownSync(fd, plan.existing.uid, plan.existing.gid);
      fchmodSync(fd, plan.existing.mode & 0o7777);
    } else {
      fchmodSync(fd, 0o666 & ~process.umask());
    }
    closeSync(fd);
    fd = undefined;
    renameSync(temp, plan.target);
    liveTemps.delete(temp);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // never created
    }
    liveTemps.delete(temp);
    throw new FileError(plan.shown, `cannot write: ${errnoText(err)}`);
  }
}

function writeAll(fd: number, data: Buffer): void {
  for (let offset = 0; offset < data.length;) offset += writeSync(fd, data, offset, data.length - offset);
}

/**
 * Output for a command that prints many lines (`parse`): lines are encoded into a buffer that goes
 * to the stream in 64 KiB pieces, so no line's string outlives its line and the output is never
 * one large string. A line the caller knows to be ASCII is copied byte for byte (as Latin-1, which
 * for ASCII is UTF-8) instead of being encoded.
 */
export class ChunkedWriter {
  private chunk: Buffer;
  private used = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    size = 64 * 1024,
  ) {
    this.chunk = Buffer.allocUnsafe(size);
  }

  /**
   * Writes `text` and a newline. `ascii`: every character of `text` is below U+0080. The newline
   * is added in the buffer: `text + '\n'` would copy the line once more.
   */
  writeLine(text: string, ascii: boolean): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
    const most = (ascii ? text.length : text.length * 3) + 1;
    if (most > this.chunk.length - this.used) {
      this.flush();
      if (most > this.chunk.length) {
        this.stream.write(text);
        this.stream.write('\n');
        return;
      }
    }
    this.used += this.chunk.write(text, this.used, ascii ? 'latin1' : 'utf8');
    this.chunk[this.used++] = 10;
  }

  flush(): void {
    if (this.used === 0) return;
    this.stream.write(this.chunk.subarray(0, this.used));
    // A stream may keep the buffer until the write completes (a full pipe): start a new one.
    this.chunk = Buffer.allocUnsafe(this.chunk.length);
    this.used = 0;
  }
}

/** planOutput + writePlanned for a single output. */
export function writeOutput(path: string, content: string | Buffer, options: WriteOptions = {}): void {
  writePlanned(planOutput(path, options), content);
}

/** Old name of writeOutput. */
export const writeFileAtomic = writeOutput;

export function errorMessage(err: unknown): string {
  if (err instanceof FileError) return err.message;
  if (err && typeof err === 'object' && 'code' in err && 'path' in err) {
    const e = err as NodeJS.ErrnoException;
    return `${e.path}: ${errnoText(e)}`;
  }
  return err instanceof Error ? err.message : String(err);
}
