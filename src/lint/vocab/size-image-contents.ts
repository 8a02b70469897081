// Shared by the size rules (DEF606, DEF607, DEF608, DEF609: what ends up in the image besides the application).
import {
    hasAnyFlag, isAptGet, isApk, isDnf, isYum, optionValue
} from '../shell/index.js';
import type { ShellCommand } from '../types.js';

export const TOOLCHAIN = /^(build-essential|gcc|g\+\+|gfortran|clang|cmake|gcc-c\+\+|gcc-gfortran|devtoolset-\d+.*|gcc-toolset-\d+.*|[\w.+-]+-dev|[\w.+-]+-devel)([=<>].*)?$/;

export function removesPackages(cmd: ShellCommand): string[] {
  if (isAptGet(cmd, 'remove', 'purge', 'autoremove') || isYum(cmd, 'remove', 'erase') || isDnf(cmd, 'remove', 'erase') || isApk(cmd, 'del')) {
    return cmd.args.filter((a) => !a.text.startsWith('-')).map((a) => a.text);
  }
  return [];
}

export const ARCHIVE = /\.(tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|zip|tar)$/i;
export const NOT_STORED = /^\/(tmp|var\/tmp|dev\/shm)(\/|$)/;

/** Where a download is written, as a path relative to the current directory or absolute. */
export function downloadTarget(cmd: ShellCommand, url: string): string | undefined {
  const name = url.replace(/[?#].*$/, '').split('/').pop() ?? '';
  if (cmd.baseName === 'curl') {
    const out = optionValue(cmd, '-o') ?? optionValue(cmd, '--output');
    if (out) return out;
    return hasAnyFlag(cmd, 'O', 'remote-name') ? name : undefined; // to stdout otherwise
  }
  const out = optionValue(cmd, '-O') ?? optionValue(cmd, '--output-document');
  if (out === '-') return undefined;
  if (out) return out;
  const dir = optionValue(cmd, '-P') ?? optionValue(cmd, '--directory-prefix');
  return dir ? `${dir.replace(/\/$/, '')}/${name}` : name;
}

export function joinPath(dir: string | undefined, path: string): string | undefined {
  if (path.startsWith('/')) return path;
  if (dir === undefined) return undefined;
  return `${dir.replace(/\/$/, '')}/${path.replace(/^\.\//, '')}`;
}

export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
}

export const BROAD_SOURCES = new Set(['.', './', '/', '*', './*', '..', '../', '~', '~/', '$HOME', '${HOME}', '$PWD', '${PWD}']);
