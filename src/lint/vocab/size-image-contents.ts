// Shared by the size rules (DEF606, DEF607, DEF608, DEF609: what ends up in the image besides the application).
import { hasAnyFlag, isAptGet, isApk, isDnf, isYum, optionValue } from '../shell/index.js';
import type { ShellCommand } from '../types.js';

export const TOOLCHAIN =
  /^(build-essential|gcc|g\+\+|gfortran|clang|cmake|gcc-c\+\+|gcc-gfortran|devtoolset-\d+.*|gcc-toolset-\d+.*|[\w.+-]+-dev|[\w.+-]+-devel)([=<>].*)?$/;

export function removesPackages(cmd: ShellCommand): readonly string[] {
  // Asked about every final-stage command on every lint: once per command (see shell/commands.ts).
  let names = removed.get(cmd);
  if (names === undefined) removed.set(cmd, (names = Object.freeze(findRemovedPackages(cmd))));
  return names;
}

const removed = new WeakMap<ShellCommand, readonly string[]>();

function findRemovedPackages(cmd: ShellCommand): string[] {
  if (isAptGet(cmd, 'remove', 'purge', 'autoremove') || isYum(cmd, 'remove', 'erase') || isDnf(cmd, 'remove', 'erase') || isApk(cmd, 'del')) {
    return cmd.args.filter((a) => !a.text.startsWith('-')).map((a) => a.text);
  }
  return [];
}

export const ARCHIVE = /\.(tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|zip|tar)$/i;
export const NOT_STORED = /^\/(tmp|var\/tmp|dev\/shm)(\/|$)/;

/** Where a download is written, as a path relative to the current directory or absolute. */
export function downloadTarget(cmd: ShellCommand, url: string): string | undefined {
  const name =
    url
      .replace(/[?#].*$/, '')
      .split('/')
      .pop() ?? '';
  if (cmd.baseName === 'curl') {
    const out = optionValue(cmd, '-o') ?? optionValue(cmd, '--output');
    if (out) return out;
    if (hasAnyFlag(cmd, 'J', 'remote-header-name')) return undefined; // the server names the file
    return hasAnyFlag(cmd, 'O', 'remote-name') ? name : undefined; // to stdout otherwise
  }
  const out = optionValue(cmd, '-O') ?? optionValue(cmd, '--output-document');
  if (out === '-') return undefined;
  if (out) return out;
  if (hasAnyFlag(cmd, 'content-disposition')) return undefined; // the server names the file
  const dir = optionValue(cmd, '-P') ?? optionValue(cmd, '--directory-prefix');
  return dir ? `${dir.replace(/\/$/, '')}/${name}` : name;
}

export function joinPath(dir: string | undefined, path: string): string | undefined {
  if (path.startsWith('/')) return normalizePath(path);
  if (dir === undefined) return undefined;
  return normalizePath(`${dir.replace(/\/$/, '')}/${path}`);
}

/** `/opt/src/../x.tar.gz` → `/opt/x.tar.gz`; `.` segments and doubled slashes go too. */
function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}${path.endsWith('/') && out.length > 0 ? '/' : ''}`;
}

export function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  );
}

const GLOB_CHARS = /[*?[\]]/;

/** A removal (`rm` target) as written: a bare name, a full path (may be a glob), and where it runs. */
export interface RemovalTarget {
  name?: string;
  full?: string;
  at: number;
}

/**
 * The removals of one stage, indexed so that asking "is this download removed later?" costs the
 * depth of its path plus the glob removals, not the number of removals: literal names and paths
 * are looked up in maps (keeping the latest position), only globs are matched one by one.
 * A file with thousands of `rm` lines and downloads stays linear (docs/security.md).
 */
export class RemovalIndex {
  /** Work done by `removesLater`, for tests that count work instead of timing it. */
  work = 0;
  private readonly names = new Map<string, number>();
  private readonly paths = new Map<string, number>();
  private readonly globs: { name?: RegExp; full?: RegExp; prefix?: string; at: number }[] = [];

  add(target: RemovalTarget): void {
    const nameIsGlob = target.name !== undefined && GLOB_CHARS.test(target.name);
    const fullIsGlob = target.full !== undefined && GLOB_CHARS.test(target.full);
    if (target.name !== undefined && !nameIsGlob) this.names.set(target.name, Math.max(target.at, this.names.get(target.name) ?? -1));
    if (target.full !== undefined && !fullIsGlob) this.paths.set(target.full, Math.max(target.at, this.paths.get(target.full) ?? -1));
    if (nameIsGlob || fullIsGlob) {
      this.globs.push({
        name: nameIsGlob ? globToRegExp(target.name!) : undefined,
        full: fullIsGlob ? globToRegExp(target.full!) : undefined,
        prefix: fullIsGlob ? target.full : undefined,
        at: target.at,
      });
    }
  }

  /** Whether a removal after `download.at` deletes it: by name, by path, or as a file under a removed folder. */
  removesLater(download: { name: string; path?: string; at: number }): boolean {
    const after = (at: number | undefined) => at !== undefined && at > download.at;
    this.work++;
    if (after(this.names.get(download.name))) return true;
    if (download.path !== undefined) {
      // The path itself, then each folder above it (`rm -rf /opt/src` removes /opt/src/x.tar.gz).
      for (let path = download.path; path.length > 0; path = path.slice(0, Math.max(0, path.lastIndexOf('/')))) {
        this.work++;
        if (after(this.paths.get(path))) return true;
        if (!path.includes('/')) break;
      }
    }
    return this.globs.some((r) => {
      this.work++;
      const path = download.path;
      return (
        r.at > download.at &&
        (r.name?.test(download.name) || (path !== undefined && (r.full?.test(path) || (r.prefix !== undefined && path.startsWith(`${r.prefix}/`)))))
      );
    });
  }

  /** How many glob removals are matched one by one. */
  get globCount(): number {
    return this.globs.length;
  }
}

export const BROAD_SOURCES = new Set(['.', './', '/', '*', './*', '..', '../', '~', '~/', '$HOME', '${HOME}', '$PWD', '${PWD}']);
