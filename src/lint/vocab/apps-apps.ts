// Shared by the apps rules (SCIF app rules (DEF801–DEF805)).
import type { Section, Stage } from '../../parse/model.js';
import type { Fix, RuleContext } from '../types.js';
import { finalStage } from './sections.js';
import { q, rangeOf, sectionWordSpan } from './text.js';

export function appSections(stage: Stage): Section[] {
  return stage.sections.filter((section) => section.kind === 'app' && section.app !== undefined);
}

/** Range of the app name on a section line. */
export function appNameRange(ctx: RuleContext, section: Section) {
  const span = sectionWordSpan(ctx.file, section);
  const start = span.wordEnd + 1;
  return rangeOf(ctx.file, start, Math.min(start + (section.app ?? '').length, span.lineEnd));
}

/** First section of each app, in order of first mention. */
export function appsOf(stage: Stage): Map<string, Section[]> {
  const apps = new Map<string, Section[]>();
  for (const section of appSections(stage)) {
    const list = apps.get(section.app!) ?? [];
    list.push(section);
    apps.set(section.app!, list);
  }
  return apps;
}

export function appendToStage(ctx: RuleContext, stage: Stage, sectionText: string, description: string): Fix {
  const at = stage.range.end.offset;
  const needsNewline = at > 0 && ctx.file.text[at - 1] !== '\n';
  return { description, edits: [{ start: at, end: at, text: `${needsNewline ? '\n' : ''}\n${sectionText}` }] };
}

/** Environment-variable form of an app name (SCIF replaces non-word characters with `_`). */
export function envName(app: string): string {
  return app.replace(/[^A-Za-z0-9_]/g, '_');
}

export const WRITERS = new Set(['cp', 'mv', 'install', 'ln', 'rsync', 'mkdir', 'touch', 'tee']);

/** `--prefix=/x`, `PREFIX=/x`, `prefix=/x` (also `--exec-prefix=/x`): the path is group 1. */
export const PREFIX_ARG = /(?:^|[^\w])(?:PREFIX|prefix)=(\/.*)$/;

export function outsideApp(clean: string, app: string): boolean {
  if (!clean.startsWith('/')) return false;
  if (/^\/(tmp|dev|proc)(\/|$)/.test(clean)) return false;
  return !(clean === `/scif/apps/${app}` || clean.startsWith(`/scif/apps/${app}/`) || clean.startsWith(`/scif/data/${app}`));
}

/**
 * Reports every app of the final stage that has no `%<name> APP` section, at the app's name, with
 * a stub of the section as suggestion (DEF803 %apprun, DEF805 %apphelp). Message data: `app`
 * (quoted) and `name` (as written).
 */
export function reportAppsWithout<MessageId extends string>(
  ctx: RuleContext<MessageId>,
  name: string,
  messageId: MessageId,
  stub: (app: string) => { text: string; description: string },
): void {
  const stage = finalStage(ctx.file);
  if (!stage) return;
  for (const [app, sections] of appsOf(stage)) {
    if (app === '' || sections.some((section) => section.name === name)) continue;
    const { text, description } = stub(app);
    ctx.report({
      messageId,
      data: { app: q(app), name: app },
      range: appNameRange(ctx, sections[0]),
      suggestions: [appendToStage(ctx, stage, text, description)],
    });
  }
}
