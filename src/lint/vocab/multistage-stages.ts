// Shared by the multistage rules (Multi-stage rules (DEF851–DEF857)).
import type { Section, Stage } from '../../parse/model.js';
import type { RuleContext } from '../types.js';
import { lastEntry } from './header.js';
import { endOfLine, rangeOf, sectionHeadRange } from './text.js';

export const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;

/** A stage's name, with placeholders resolved when possible. */
export function stageName(ctx: RuleContext, stage: Stage): string | undefined {
  return ctx.resolvedHeader(stage, 'stage');
}

/** The `%files from X` stage name, resolved through templates; undefined when not resolvable. */
export function fromStageOf(ctx: RuleContext, stage: Stage, section: Section): string | undefined {
  if (section.fromStage === undefined) return undefined;
  let unresolved = false;
  const value = section.fromStage.replace(PLACEHOLDER, (whole, name: string) => {
    const resolved = ctx.templateValue(stage, name);
    if (resolved === undefined) unresolved = true;
    return resolved ?? whole;
  });
  return unresolved ? undefined : value;
}

/** A `%files from <stage>` section. */
export function isFromSection(section: Section): boolean {
  return section.kind === 'standard' && section.name === 'files' && section.fromStage !== undefined;
}

export function fromSections(stage: Stage): Section[] {
  return stage.sections.filter(isFromSection);
}

/** Range of the stage word in `%files from X`. */
export function fromWordRange(ctx: RuleContext, section: Section) {
  const lineStart = section.lineRange.start.offset;
  const line = ctx.file.text.slice(lineStart, endOfLine(ctx.file.text, lineStart));
  const raw = section.fromStage ?? '';
  const at = line.lastIndexOf(raw);
  return at === -1 ? sectionHeadRange(ctx.file, section) : rangeOf(ctx.file, lineStart + at, lineStart + at + raw.length);
}

export function stageAnchor(ctx: RuleContext, stage: Stage) {
  const entry = lastEntry(stage, 'stage') ?? stage.header?.find((e) => e.key === 'bootstrap') ?? stage.header?.[0];
  if (entry) return entry.range;
  const start = stage.sections[0]?.lineRange.start.offset ?? stage.range.start.offset;
  return rangeOf(ctx.file, start, endOfLine(ctx.file.text, start));
}

export const RUNTIME_SECTIONS = new Set([
  'runscript',
  'startscript',
  'environment',
  'labels',
  'help',
  'apprun',
  'appstart',
  'apphelp',
  'applabels',
  'appenv',
  'apptest',
]);

export const WHOLE_TREE = new Set(['/', '/*', '/usr', '/usr/', '/usr/*']);
