// Shared by the sections rules (%files and %labels rules (DEF201–DEF204, DEF216)).
import type { FileEntry, LabelEntry, Section, Stage } from '../../parse/model.js';
import type { RuleContext } from '../types.js';

/** A `%files` section (with or without `from <stage>`). */
export function isFilesSection(section: Section): boolean {
  return section.name === 'files' && section.kind === 'standard';
}

/** Raw text of a token range, quotes included. */
export function rawOf(ctx: RuleContext, range: { start: { offset: number }; end: { offset: number } }): string {
  return ctx.file.text.slice(range.start.offset, range.end.offset);
}

export const BOUND_DIRS = ['/tmp', '/var/tmp', '/home'];

/** Where a %files entry lands in the container ('' if it cannot be told). */
export function landingPath(entry: FileEntry): string {
  const raw = entry.destination !== '' ? entry.destination : entry.source;
  if (raw.includes('{{')) return '';
  if (/^(\$HOME|\$\{HOME\}|~)(\/|$)/.test(raw)) return raw;
  const absolute = raw.startsWith('/') ? raw : `/${raw.replace(/^\.\//, '')}`;
  return absolute.replace(/\/{2,}/g, '/').replace(/\/\.(\/|$)/g, '/');
}

export function boundDirOf(path: string): string | undefined {
  if (/^(\$HOME|\$\{HOME\}|~)(\/|$)/.test(path)) return '$HOME';
  return BOUND_DIRS.find((dir) => path === dir || path.startsWith(`${dir}/`));
}

/** The entries of a `%labels` or `%applabels` section (none for any other section). */
export function labelsOf(section: Section): LabelEntry[] {
  if (section.kind === 'unknown' || (section.name !== 'labels' && section.name !== 'applabels')) return [];
  return section.labels ?? [];
}

export function labelEntries(stage: Stage): { section: Section; label: LabelEntry }[] {
  return stage.sections.flatMap((section) => labelsOf(section).map((label) => ({ section, label })));
}

export const SEPARATOR = /[=:\t]/;

export type FormatCheck = (value: string) => boolean;

export const FORMATS: Record<string, FormatCheck> = {
  semver: (v) => /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(v),
  url: (v) => /^[a-z][a-z0-9+.-]*:\/\/[^\s]+$/i.test(v),
  email: (v) => /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(v) || /^[^<>]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>$/.test(v),
  spdx: (v) => /^\(?[A-Za-z0-9.+-]+(?:\s+(?:AND|OR|WITH)\s+\(?[A-Za-z0-9.+-]+\)?)*\)?$/.test(v),
  rfc3339: (v) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/.test(v),
  githash: (v) => /^[0-9a-f]{7,40}$/.test(v),
};

/** Well-known label keys and their formats (OCI annotations, label-schema). */
export const BUILTIN_LABEL_SCHEMA: Record<string, string> = {
  'org.opencontainers.image.created': 'rfc3339',
  'org.opencontainers.image.url': 'url',
  'org.opencontainers.image.source': 'url',
  'org.opencontainers.image.documentation': 'url',
  'org.opencontainers.image.licenses': 'spdx',
  'org.label-schema.build-date': 'rfc3339',
  'org.label-schema.url': 'url',
  'org.label-schema.vcs-url': 'url',
  'org.label-schema.vcs-ref': 'githash',
};
