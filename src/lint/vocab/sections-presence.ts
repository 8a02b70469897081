// Shared by the sections rules (Section presence rules (DEF214, DEF215, DEF217, DEF218)).
import type { Stage } from '../../parse/model.js';
import type { Fix, RuleContext } from '../types.js';
import { finalStage } from './sections.js';
import { endOfLine, rangeOf } from './text.js';

/** Where to point for a stage-wide finding: its Bootstrap line, or its first line. */
export function stageAnchor(ctx: RuleContext, stage: Stage) {
  const bootstrap = stage.header?.find((entry) => entry.key === 'bootstrap') ?? stage.header?.[0];
  if (bootstrap) return bootstrap.range;
  const start = stage.sections[0]?.lineRange.start.offset ?? stage.range.start.offset;
  return rangeOf(ctx.file, start, endOfLine(ctx.file.text, start));
}

/**
 * Reports a final stage without the standard section `name` at the stage's anchor, with a stub
 * of the section as suggestion (DEF214 %help, DEF215 %test).
 */
export function reportMissingSection<MessageId extends string>(
  ctx: RuleContext<MessageId>,
  name: string,
  messageId: MessageId,
  stub: { text: string; description: string },
): void {
  const stage = finalStage(ctx.file);
  if (!stage || stage.sections.some((section) => section.kind === 'standard' && section.name === name)) return;
  ctx.report({ messageId, range: stageAnchor(ctx, stage), suggestions: [appendSection(ctx, stage, stub.text, stub.description)] });
}

/** Appends a section at the end of a stage. */
export function appendSection(ctx: RuleContext, stage: Stage, sectionText: string, description: string): Fix {
  const text = ctx.file.text;
  const at = stage.range.end.offset;
  const needsNewline = at > 0 && text[at - 1] !== '\n';
  return { description, edits: [{ start: at, end: at, text: `${needsNewline ? '\n' : ''}\n${sectionText}` }] };
}
