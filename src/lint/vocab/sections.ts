// Which sections are which, as Apptainer's parser and build see them.
import type { Section, Stage } from '../../parse/model.js';

/** Standard section names (`validSections`). */
export const STANDARD_SECTIONS = ['help', 'setup', 'files', 'labels', 'environment', 'pre', 'post', 'runscript', 'test', 'startscript', 'arguments'] as const;

/** SCIF app section names (`appSections`). */
export const APP_SECTIONS = ['appinstall', 'applabels', 'appfiles', 'appenv', 'apptest', 'apphelp', 'apprun', 'appstart'] as const;

/** Variables `apptainer build` sets for the build scripts only (unset when the image runs). */
export const BUILD_ONLY_VARIABLES = [
  'APPTAINER_ROOTFS',
  'SINGULARITY_ROOTFS',
  'APPTAINER_ENVIRONMENT',
  'SINGULARITY_ENVIRONMENT',
  'APPTAINER_LABELS',
  'SINGULARITY_LABELS',
] as const;

export const ALL_SECTION_NAMES: readonly string[] = [...STANDARD_SECTIONS, ...APP_SECTIONS];

const STANDARD_SET = new Set<string>(STANDARD_SECTIONS);
const APP_SET = new Set<string>(APP_SECTIONS);

/** Sections whose body is executed as a script (build time or run time). */
const SCRIPT_SECTIONS = new Set(['pre', 'setup', 'post', 'test', 'runscript', 'startscript', 'appinstall', 'apprun', 'appstart', 'apptest']);
/** Sections sourced as shell (not executed on their own). */
const SOURCED_SECTIONS = new Set(['environment', 'appenv']);
/** Sections that run while the image is built (not at run time). */
const BUILD_SCRIPT_SECTIONS = new Set(['pre', 'setup', 'post', 'appinstall']);
/** Sections whose script starts the main program (exec/args matter). */
const ENTRY_SECTIONS = new Set(['runscript', 'startscript', 'apprun', 'appstart']);

export function isStandardSectionName(name: string): boolean {
  return STANDARD_SET.has(name);
}
export function isAppSectionName(name: string): boolean {
  return APP_SET.has(name);
}
export function isValidSectionName(name: string): boolean {
  return STANDARD_SET.has(name) || APP_SET.has(name);
}

/** True for a known section whose body is a script Apptainer runs. */
export function isScriptSection(section: Section): boolean {
  return section.kind !== 'unknown' && SCRIPT_SECTIONS.has(section.name);
}
/** Script sections plus `%environment`/`%appenv` (shell text, sourced). */
export function isShellSection(section: Section): boolean {
  return section.kind !== 'unknown' && (SCRIPT_SECTIONS.has(section.name) || SOURCED_SECTIONS.has(section.name));
}
export function isEnvironmentSection(section: Section): boolean {
  return section.kind !== 'unknown' && SOURCED_SECTIONS.has(section.name);
}
export function isBuildScriptSection(section: Section): boolean {
  return section.kind !== 'unknown' && BUILD_SCRIPT_SECTIONS.has(section.name);
}
export function isEntrySection(section: Section): boolean {
  return section.kind !== 'unknown' && ENTRY_SECTIONS.has(section.name);
}

/** Identity of a section for duplicate detection: name plus app. */
export function sectionKey(section: Section): string {
  return section.app === undefined ? section.name : `${section.name} ${section.app}`;
}

/** How the section is written, e.g. `%post` or `%apprun foo`. */
export function sectionLabel(section: Section): string {
  return section.app === undefined ? `%${section.name}` : `%${section.name} ${section.app}`;
}

export { finalStage, liveStages } from '../../parse/live-stages.js';

/** The section whose text span contains `offset`, if any. */
export function sectionAt(stage: Stage, offset: number): Section | undefined {
  for (const section of stage.sections) {
    if (offset >= section.lineRange.start.offset && offset <= section.range.end.offset) return section;
  }
  return undefined;
}

/** True when the offset lies in the stage header (before the first section line). */
export function isInHeader(stage: Stage, offset: number): boolean {
  const firstSection = stage.sections[0];
  const headerEnd = firstSection ? firstSection.lineRange.start.offset : stage.range.end.offset;
  return offset >= stage.range.start.offset && offset < headerEnd;
}
