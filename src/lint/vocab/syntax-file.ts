// Shared by the syntax rules (File-level syntax: rejections without a better rule, empty files, crashes, size limit,).
import type { RuleContext } from '../types.js';
import { endOfLine, rangeOf } from './text.js';

export function firstLineRange(ctx: RuleContext) {
  return rangeOf(ctx.file, 0, endOfLine(ctx.file.text, 0));
}
