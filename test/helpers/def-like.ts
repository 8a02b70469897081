// Pieces of text that matter to the def format, for property tests that generate def-like files.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

/** Line breaks, section and header openers, comment, continuation, quotes, templates, odd spaces. */
export const DEF_FORMAT_PIECES = [
  '\n',
  '\r\n',
  '\r',
  '%',
  '%post',
  '%files',
  '%labels',
  '%appinstall a',
  'Bootstrap:',
  'bootstrap: docker',
  'From: x',
  ':',
  '#',
  '\\',
  '"',
  "'",
  '{{ X }}',
  '{{',
  '}}',
  ' ',
  '\t',
  '\u00a0',
  '\ufeff',
  'é',
  '😀',
  '\u0000',
];

/** One of DEF_FORMAT_PIECES or of the given extra pieces. */
export function defPiece(...extra: string[]): fc.Arbitrary<string> {
  return fc.constantFrom(...DEF_FORMAT_PIECES, ...extra);
}

/** Every `.def` file under a folder, recursively. */
export function defFilesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) defFilesUnder(path, out);
    else if (name.endsWith('.def')) out.push(path);
  }
  return out;
}
