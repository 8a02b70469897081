// Shared by the header rules (Header & bootstrap rules (DEF1xx): agent, required and irrelevant keys, header values).
import type { HeaderEntry, Stage } from '../../parse/model.js';
import type { Fix, RuleContext } from '../types.js';
import { liveStages } from './sections.js';
import { endOfLine, endOfLineIncludingNewline, startOfLine } from './text.js';

/** Resolved value of a header key, '' when empty, undefined when absent or still templated. */
export function valueOf(ctx: RuleContext, stage: Stage, key: string): string | undefined {
  return ctx.resolvedHeader(stage, key);
}

export function isTemplated(value: string | undefined): boolean {
  return value !== undefined && value.includes('{{');
}

/** Whole lines of an entry, newline included, for deletion. */
export function entryLines(ctx: RuleContext, entry: HeaderEntry): { start: number; end: number } {
  const text = ctx.file.text;
  const start = startOfLine(text, entry.range.start.offset);
  const lastChar = Math.max(start, entry.range.end.offset - 1);
  return { start, end: endOfLineIncludingNewline(text, lastChar) };
}

/** Inserts a header line right after an entry. */
export function insertAfter(ctx: RuleContext, entry: HeaderEntry, line: string, description: string): Fix {
  const at = endOfLine(ctx.file.text, Math.max(entry.range.end.offset - 1, entry.range.start.offset));
  return { description, edits: [{ start: at, end: at, text: `\n${line}` }] };
}

/** True when a chunk holds only header keys and the next chunk brings the `Bootstrap:`. */
export function isSplitOffHeader(ctx: RuleContext, stage: Stage): boolean {
  const stages = liveStages(ctx.file);
  const index = stages.indexOf(stage);
  const next = stages[index + 1];
  return (
    stage.header !== null &&
    stage.sections.length === 0 &&
    stage.headerValues.bootstrap === undefined &&
    next !== undefined &&
    next.headerValues.bootstrap !== undefined
  );
}

export function hasImageTag(reference: string): boolean {
  if (reference.includes('@')) return true;
  const lastSlash = reference.lastIndexOf('/');
  return reference.slice(lastSlash + 1).includes(':');
}

export const NO_EFFECT_KEYS = new Set(['includecmd']);

export const OSVERSION_MACRO = /%\{osversion\}/i;

export const APPTAINER_ONLY_KEYS = new Set(['target', 'frontend', 'filename', 'buildargs', 'confurl']);

export const IMAGE_EXTENSIONS = /\.(sif|simg|img|sqsh|squashfs|sqfs|ext3)$/i;

export const SCHEME_ADDED: Record<string, string> = { docker: 'docker://', shub: 'shub://', oras: 'oras://' };
