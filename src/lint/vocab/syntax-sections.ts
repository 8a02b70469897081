// Shared by the syntax rules (Section-line syntax: unknown names, lines that cut scripts, tabs, case, arguments, duplicates).
import type { ParsedFile, Section } from '../../parse/model.js';
import type { Fix, MessageData, RuleContext } from '../types.js';
import { findScriptCuts, type ScriptCut } from './script-cuts.js';
import { ALL_SECTION_NAMES, isAppSectionName, isValidSectionName } from './sections.js';
import { nearest, q, sectionLineText, sectionWordSpan } from './text.js';
import { replaceFix } from './fixes.js';

const sectionLists = new WeakMap<ParsedFile, readonly Section[]>();

/** Every section of the file in file order: listed once per parsed file, shared by its callers (do not change). */
export function allSections(ctx: RuleContext): readonly Section[] {
  let sections = sectionLists.get(ctx.file);
  if (!sections) {
    const list: Section[] = [];
    for (const stage of ctx.file.stages) for (const section of stage.sections) list.push(section);
    sectionLists.set(ctx.file, (sections = list));
  }
  return sections;
}

export interface TabbedSectionLine {
  section: Section;
  tabStart: number;
  tabEnd: number;
  name: string;
}

const tabbedLines = new WeakMap<ParsedFile, ReadonlyMap<number, TabbedSectionLine>>();

/**
 * Sections whose line holds a tab right after a valid section word (`%post\t-c ...`), by line:
 * found once per parsed file for the rules that ask (do not change).
 */
export function tabbedSectionLines(ctx: RuleContext): ReadonlyMap<number, TabbedSectionLine> {
  let found = tabbedLines.get(ctx.file);
  if (!found) tabbedLines.set(ctx.file, (found = findTabbedSectionLines(ctx)));
  return found;
}

function findTabbedSectionLines(ctx: RuleContext): Map<number, TabbedSectionLine> {
  const found = new Map<number, TabbedSectionLine>();
  for (const section of allSections(ctx)) {
    const span = sectionWordSpan(ctx.file, section);
    const word = ctx.file.text.slice(span.wordStart, span.wordEnd);
    const tab = word.search(/\t/);
    if (tab <= 0) continue;
    const name = word.slice(0, tab).toLowerCase();
    if (!isValidSectionName(name)) continue;
    let tabEnd = span.wordStart + tab;
    while (tabEnd < span.lineEnd && /[\t ]/.test(ctx.file.text[tabEnd])) tabEnd++;
    found.set(section.lineRange.start.line, { section, tabStart: span.wordStart + tab, tabEnd, name });
  }
  return found;
}

const cutLists = new WeakMap<ParsedFile, ReadonlyMap<number, ScriptCut>>();

/** The section lines that cut a script, by line: once per parsed file for the rules that ask (do not change). */
export function cutsByLine(ctx: RuleContext): ReadonlyMap<number, ScriptCut> {
  let cuts = cutLists.get(ctx.file);
  if (!cuts) cutLists.set(ctx.file, (cuts = new Map(findScriptCuts(ctx.file).map((cut) => [cut.section.lineRange.start.line, cut]))));
  return cuts;
}

export function suggestSectionName(ctx: RuleContext, section: Section): Fix[] {
  const span = sectionWordSpan(ctx.file, section);
  const word = ctx.file.text.slice(span.wordStart, span.wordEnd);
  const lineStart = section.lineRange.start.offset;
  if (span.percentStart > lineStart && section.lineRange.start.line > 1) {
    return isValidSectionName(word.toLowerCase()) ? [replaceFix(`Start %${word} in column 1`, lineStart, span.percentStart, '')] : [];
  }
  if (word === '') return [];
  const lower = word.toLowerCase();
  const cleaned = lower.replace(/[:;,.#]+.*$/, '');
  const candidate = isValidSectionName(cleaned) ? cleaned : nearest(cleaned || lower, ALL_SECTION_NAMES, 2);
  if (!candidate) return [];
  return [replaceFix(`Rename to %${candidate}`, span.wordStart, span.wordEnd, candidate)];
}

/** Why a section word is unknown, as a message id of DEF001 and its data (`word`). */
export function unknownSectionMessage(
  ctx: RuleContext,
  section: Section,
): { messageId: 'indented' | 'loneSign' | 'tabInWord' | 'appSectionCase' | 'unknownSection'; data: MessageData } {
  const span = sectionWordSpan(ctx.file, section);
  const line = sectionLineText(ctx.file, section);
  const word = ctx.file.text.slice(span.wordStart, span.wordEnd);
  const data = { word: q('%' + word.replace(/\t/g, '\\t')) };
  if (/^\s/.test(line) && section.lineRange.start.line > 1) return { messageId: 'indented', data };
  if (word === '') return { messageId: 'loneSign', data };
  if (/\t/.test(word)) return { messageId: 'tabInWord', data };
  if (isAppSectionName(word.toLowerCase())) return { messageId: 'appSectionCase', data };
  return { messageId: 'unknownSection', data };
}

export const WARN_ON_DUPLICATE = new Set(['runscript', 'startscript', 'help', 'test', 'apprun', 'appstart', 'apphelp', 'apptest']);

export const IGNORED_ARGS = new Set(['help', 'labels', 'environment', 'arguments']);

export const HEADER_LOOKING_KEYS = new Set([
  'bootstrap',
  'from',
  'stage',
  'osversion',
  'mirrorurl',
  'updateurl',
  'include',
  'registry',
  'namespace',
  'library',
  'fingerprints',
  'includecmd',
]);
export const DATA_SECTIONS = new Set(['labels', 'files', 'environment', 'arguments', 'applabels', 'appfiles', 'appenv']);
