// Chevrotain's package entry point pulls in hundreds of lodash-es modules (~0.5 s of start-up);
// its single-file bundle loads in a few milliseconds. The package's export map hides the bundle,
// so it is imported by path, next to the entry point that Node resolves.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Chevrotain = typeof import('chevrotain');

function bundlePath(): string {
  const entry = createRequire(import.meta.url).resolve('chevrotain'); // .../lib/src/api.js
  return join(dirname(dirname(entry)), 'chevrotain.min.mjs');
}

const chevrotain: Chevrotain = await import(pathToFileURL(bundlePath()).href);

export const { createToken, Lexer, EmbeddedActionsParser } = chevrotain;
export type { CustomPatternMatcherFunc, IToken, TokenType } from 'chevrotain';
