// Shared by the templating rules (Templating rules (DEF901–DEF908): `{{ NAME }}` placeholders and `%arguments` defaults).
import type { ArgumentEntry, Placeholder, Section, Stage } from '../../parse/model.js';
import type { Fix, RuleContext } from '../types.js';
import { isInHeader, sectionAt } from './sections.js';
import { endOfLineIncludingNewline } from './text.js';

export function argumentsSection(stage: Stage): Section | undefined {
  return stage.sections.find((section) => section.kind === 'standard' && section.name === 'arguments');
}

export function argumentEntries(stage: Stage): ArgumentEntry[] {
  return stage.sections.filter((section) => section.kind === 'standard' && section.name === 'arguments').flatMap((section) => section.arguments ?? []);
}

/** A fix that adds `NAME=value` to the stage's `%arguments` (creating the section if needed). */
export function addDefault(ctx: RuleContext, stage: Stage, name: string, value: string, description: string): Fix | undefined {
  const text = ctx.file.text;
  const section = argumentsSection(stage);
  if (section) {
    const at = endOfLineIncludingNewline(text, section.lineRange.start.offset);
    const indent = section.bodyLines.find((line) => line.text.trim() !== '')?.text.match(/^[ \t]*/)?.[0] ?? '    ';
    const prefix = at === text.length && !text.endsWith('\n') ? '\n' : '';
    return { description, edits: [{ start: at, end: at, text: `${prefix}${indent}${name}=${value}\n` }] };
  }
  const first = stage.sections[0];
  if (first) {
    const at = first.lineRange.start.offset;
    return { description, edits: [{ start: at, end: at, text: `%arguments\n    ${name}=${value}\n\n` }] };
  }
  if (!stage.header) return undefined;
  const at = stage.range.end.offset;
  const prefix = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
  return { description, edits: [{ start: at, end: at, text: `${prefix}\n%arguments\n    ${name}=${value}\n` }] };
}

/** Stages (other than this one) whose `%arguments` define the name. */
export function definedElsewhere(stages: readonly Stage[], stage: Stage, name: string): Stage | undefined {
  return stages.find((other) => other !== stage && Object.hasOwn(other.argumentDefaults, name));
}

export function activePlaceholders(stage: Stage): Placeholder[] {
  return stage.placeholders.filter((placeholder) => !placeholder.skipped);
}

/** The stage's placeholders that get no value from `--build-arg` or this stage's `%arguments`. */
export function unsetPlaceholders(ctx: RuleContext, stage: Stage): Placeholder[] {
  return activePlaceholders(stage).filter((placeholder) => ctx.templateValue(stage, placeholder.name) === undefined);
}

export const NON_SHELL_SECTIONS = new Set(['files', 'labels', 'appfiles', 'applabels']);

/** Where a placeholder is used: the header, a section, or nowhere known. */
export function usePlace(stage: Stage, placeholder: Placeholder): 'header' | 'non-shell' | 'shell' {
  if (isInHeader(stage, placeholder.range.start.offset)) return 'header';
  const section = sectionAt(stage, placeholder.range.start.offset);
  return section && section.kind !== 'unknown' && NON_SHELL_SECTIONS.has(section.name) ? 'non-shell' : 'shell';
}

export const SHELL_VAR_IN_HEADER = /\$\{?[A-Za-z_]\w*\}?/g;
export const PERCENT_MACRO = /%\{\w+\}/g;
export const MACRO_KEYS = new Set(['mirrorurl', 'updateurl', 'product', 'registerurl']);
/** Keys whose values reach something that could be mistaken for a shell (URLs go to yum/zypper, which expand `$basearch` themselves). */
export const NO_SHELL_KEYS = new Set(['bootstrap', 'from', 'stage', 'registry', 'namespace', 'library', 'fingerprints', 'osversion']);

export const INVALID_NAME = /\{\{[\t\n\f\r ]*([A-Za-z_]\w*(?:[-.]\w+)+)[\t\n\f\r ]*\}\}/g;
