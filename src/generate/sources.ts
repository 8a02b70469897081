// Where release tarballs come from, and how the build stage gets, checks and unpacks them: the
// upstream URL, a per-component `sources.<name>.url`, a mirror URL, or a host directory whose files
// are copied into the build stage with %files (never into the runtime stage). Every block that
// builds from a tarball, and the application's own sources, go through this one module.
import type { Recipe, SourceComponent, SourceEntry } from './types.js';

/** The build stage's scratch directory; removed at the end of %post. */
export const BUILD_DIR = '/usr/local/src/apptainer-gen';

/** Where %files puts tarballs from a host directory (inside BUILD_DIR, so %post removes them). */
export const SOURCES_DIR = `${BUILD_DIR}/sources`;

/** A mirror: a URL (files are fetched from URL/FILE) or a host directory (copied with %files). */
export type Mirror = { kind: 'url'; url: string } | { kind: 'dir'; dir: string };

/** One tarball the build needs, resolved: where the site gets it, and how the build stage gets it. */
export interface SourceFile {
  /** The component (`openmpi`, `ucx`, ...; `sources:` key) or another name such as `app`. */
  name: string;
  /** File name in a mirror and in the build stage: the last path segment of `url`. */
  file: string;
  /** Where the file comes from without a mirror (upstream, or `sources.<name>.url`). */
  url: string;
  /** What the build stage does: download a URL, or use a host file copied in by %files. */
  fetch: { kind: 'url'; url: string } | { kind: 'host'; path: string };
  sha256?: string;
  /** Shell lines from the recipe, run first in the unpacked tree. */
  prepare?: string;
  /** Run in the unpacked tree after `prepare` (a snapshot without `configure`). */
  autogen?: string;
}

/** What a block (or the application) asks for. */
export interface SourceRequest {
  name: string;
  /** The upstream release URL (no shell variables: it is also what `apptainer-gen sources` prints). */
  defaultUrl: string;
  /** Overrides from the recipe (`sources.<name>`). */
  entry?: SourceEntry;
  /** A host file (relative to the build directory, or absolute) instead of any download. */
  hostPath?: string;
  /** The component's bootstrap script (`./autogen.sh`), run when the entry says `autogen: true`. */
  autogen?: string;
}

const URL_MIRROR = /^https?:\/\//;

/** `--source-mirror` / `sources.mirror`: a URL when it has an http(s) scheme, else a host directory. */
export function parseMirror(value: string | undefined): Mirror | undefined {
  if (value === undefined || value === '') return undefined;
  if (URL_MIRROR.test(value)) return { kind: 'url', url: value.replace(/\/+$/, '') };
  return { kind: 'dir', dir: value.length > 1 ? value.replace(/\/+$/, '') : value };
}

/** Why a mirror value cannot be used (undefined when it can): the same rules as the recipe schema. */
export function mirrorProblem(value: string): string | undefined {
  if (/^https?:\/\/[A-Za-z0-9._~:@!&'()*+,;=%/-]+$/.test(value)) return undefined;
  if (URL_MIRROR.test(value)) return `${JSON.stringify(value)} is not a usable mirror URL (no spaces, quotes, '$', '\`', '\\', '{', '?' or '#')`;
  if (/^[A-Za-z0-9._+@/-]+$/.test(value)) return undefined;
  return `${JSON.stringify(value)} is neither an http(s) URL nor a directory path made of letters, digits and . _ + @ / - (no spaces or quotes)`;
}

/** The file name a URL names: its last path segment, without query or fragment. */
export function fileNameOf(url: string): string {
  const path = url.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Resolves a request against the recipe's entry and the mirror (the mirror wins over any URL). */
export function resolveSource(request: SourceRequest, mirror: Mirror | undefined): SourceFile {
  const url = request.entry?.url ?? request.defaultUrl;
  const extra = {
    ...(request.entry?.sha256 ? { sha256: request.entry.sha256 } : {}),
    ...(request.entry?.prepare ? { prepare: request.entry.prepare } : {}),
    ...(request.entry?.autogen && request.autogen ? { autogen: request.autogen } : {}),
  };
  if (request.hostPath !== undefined) {
    const file = fileNameOf(request.hostPath);
    return { name: request.name, file, url: request.hostPath, fetch: { kind: 'host', path: request.hostPath }, ...extra };
  }
  const file = fileNameOf(url);
  if (mirror?.kind === 'url') return { name: request.name, file, url, fetch: { kind: 'url', url: `${mirror.url}/${file}` }, ...extra };
  if (mirror?.kind === 'dir') return { name: request.name, file, url, fetch: { kind: 'host', path: `${mirror.dir}/${file}` }, ...extra };
  return { name: request.name, file, url, fetch: { kind: 'url', url }, ...extra };
}

/** The component's tarball as the recipe and the mirror decide it. */
export function componentSource(recipe: Recipe, mirror: Mirror | undefined, name: SourceComponent, defaultUrl: string, autogen?: string): SourceFile {
  return resolveSource({ name, defaultUrl, entry: recipe.sources?.[name], autogen }, mirror);
}

/** Where the tarball is in the build stage once fetched. */
function localPath(source: SourceFile): string {
  return source.fetch.kind === 'host' ? `${SOURCES_DIR}/${source.file}` : source.file;
}

/**
 * %post lines: get the tarball (download into the current directory, or use the copy %files put in
 * SOURCES_DIR), check its SHA-256 when known, unpack it into `./src` whatever its top folder is
 * called, and `cd` there. No pipes into tar: a failed download must stop the build.
 */
export function fetchAndUnpack(source: SourceFile): string[] {
  const path = localPath(source);
  const lines: string[] = [];
  if (source.fetch.kind === 'url') lines.push(`curl -fsSL --retry 3 -o ${source.file} "${source.fetch.url}"`);
  if (source.sha256) lines.push(`echo "${source.sha256}  ${path}" | sha256sum -c -`);
  lines.push('mkdir -p src', `tar -xf ${path} -C src --strip-components=1`, 'cd src');
  if (source.prepare) lines.push(...source.prepare.replace(/\n+$/, '').split('\n'));
  if (source.autogen) lines.push(source.autogen);
  return lines;
}

/** The build stage's `%files` lines for tarballs taken from the host (a directory mirror, local files). */
export function hostFileLines(sources: readonly SourceFile[]): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const s of sources) {
    if (s.fetch.kind !== 'host') continue;
    const line = `${s.fetch.path} ${SOURCES_DIR}/${s.file}`;
    if (!seen.has(line)) lines.push(line);
    seen.add(line);
  }
  return lines;
}

/** `apptainer-gen sources`: one tab-separated line per file: name, file, URL, SHA-256 (or `-`). */
export function sourcesListing(sources: readonly SourceFile[]): string {
  return sources.map((s) => [s.name, s.file, s.url, s.sha256 ?? '-'].join('\t') + '\n').join('');
}
