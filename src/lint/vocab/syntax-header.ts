// Shared by the syntax rules (Header-line syntax: missing colon, unknown keys, BOM, key case, duplicates, continuations).
import type { HeaderEntry } from '../../parse/model.js';
import type { RuleContext } from '../types.js';
import { startOfLine } from './text.js';

export const BOM = '\ufeff';

/** Parser diagnostics on line 1 that only exist because of a BOM (DEF014 reports the BOM). */
export function causedByBom(ctx: RuleContext, line: number, offset: number): boolean {
  return ctx.file.text.startsWith(BOM) && line === 1 && offset <= 1;
}

/** Where the key is written in the text (keyRange when it matches, else searched on the line). */
export function keySpan(ctx: RuleContext, entry: HeaderEntry): { start: number; end: number } {
  const { start, end } = { start: entry.keyRange.start.offset, end: entry.keyRange.end.offset };
  if (ctx.file.text.slice(start, end) === entry.rawKey) return { start, end };
  const lineStart = startOfLine(ctx.file.text, entry.range.start.offset);
  const at = ctx.file.text.indexOf(entry.rawKey, lineStart);
  return at === -1 ? { start, end } : { start: at, end: at + entry.rawKey.length };
}
