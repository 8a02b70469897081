// The I/O of a run over many files (`apptainer-gen parse`): readTextBounded reads each file into one
// reused buffer and ChunkedWriter sends lines out in pieces; both must give exactly what the plain
// read and write would, whatever the files before and the stream's way of holding buffers.
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ChunkedWriter, MAX_INPUT_BYTES, readFileBounded, readTextBounded } from '../../src/cli/io.js';
import { tempDir } from '../helpers/temp.js';

describe('readTextBounded', () => {
  it('reads ASCII and UTF-8 text as readFileBounded does, and says whether it is ASCII', () => {
    const dir = tempDir();
    const files: Record<string, Buffer> = {
      'ascii.def': Buffer.from('Bootstrap: docker\nFrom: alpine\n\n%post\n    true\n'),
      'utf8.def': Buffer.from('\ufeffBootstrap: docker\nFrom: alpine\n%labels\n    author Zoë 😀\n'),
      'latin1.def': Buffer.from([0x25, 0x70, 0x6f, 0x73, 0x74, 0x0a, 0x20, 0xe9, 0x0a]),
      'nul.def': Buffer.from([0x41, 0x00, 0x42]),
      'empty.def': Buffer.alloc(0),
    };
    for (const [name, bytes] of Object.entries(files)) {
      writeFileSync(join(dir, name), bytes);
      const read = readTextBounded(join(dir, name));
      expect(read.text).toBe(readFileBounded(join(dir, name)).text);
      expect(read.ascii).toBe(bytes.every((b) => b < 0x80));
      expect(read.size).toBe(bytes.length);
    }
  });

  it('reads a file larger than its buffer, and the files after it, whole', () => {
    const dir = tempDir();
    // Sizes around the first buffer (64 KiB) and its growth.
    const sizes = [10, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 300_000, 5, 131_072, 17];
    sizes.forEach((size, i) => {
      const text = Array.from({ length: size }, (_, j) => String.fromCharCode(97 + ((i + j) % 26))).join('');
      writeFileSync(join(dir, `${i}.def`), text);
    });
    sizes.forEach((size, i) => {
      const read = readTextBounded(join(dir, `${i}.def`));
      expect(read.text).toBe(readFileSync(join(dir, `${i}.def`), 'utf8'));
      expect(read.text.length).toBe(size);
    });
  });

  it('names the path in its errors: missing, a directory, larger than the limit', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'folder.def'));
    const big = join(dir, 'big.def');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, MAX_INPUT_BYTES + 1);
    closeSync(fd);
    expect(() => readTextBounded(join(dir, 'missing.def'))).toThrow(`${join(dir, 'missing.def')}: no such file or directory`);
    expect(() => readTextBounded(join(dir, 'folder.def'))).toThrow(`${join(dir, 'folder.def')}: is a directory`);
    expect(() => readTextBounded(big)).toThrow(`${big}: larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB; not read`);
    // A file exactly at the limit is read.
    const atLimit = join(dir, 'limit.def');
    writeFileSync(atLimit, Buffer.alloc(MAX_INPUT_BYTES, 0x20));
    expect(readTextBounded(atLimit).text.length).toBe(MAX_INPUT_BYTES);
  });
});

/** A stream that keeps every buffer it is given, as a full pipe does until the write completes. */
function keepingStream(): { stream: Writable; written: () => string; chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    decodeStrings: true,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, chunks, written: () => Buffer.concat(chunks).toString('utf8') };
}

describe('ChunkedWriter', () => {
  it('writes every line, in order, ASCII or not, short or longer than a chunk', () => {
    const { stream, chunks, written } = keepingStream();
    const out = new ChunkedWriter(stream, 64);
    const lines = ['{"a":1}', 'é😀 ünï', 'x'.repeat(62), 'x'.repeat(63), 'x'.repeat(64), 'y'.repeat(500), '€'.repeat(21), '€'.repeat(30), '', 'z'];
    let expected = '';
    for (let round = 0; round < 20; round++) {
      for (const line of lines) {
        out.writeLine(line, !/[^\x20-\x7e]/.test(line));
        expected += line + '\n';
      }
    }
    out.flush();
    // The stream kept every buffer until the end: none was written over after it was handed out.
    expect(written()).toBe(expected);
    expect(chunks.length).toBeGreaterThan(20);
  });

  it('writes nothing when given nothing', () => {
    const { stream, chunks } = keepingStream();
    new ChunkedWriter(stream).flush();
    expect(chunks).toEqual([]);
  });
});
