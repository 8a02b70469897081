// Expands the lint command's operands into files: plain files as given, directories searched for
// definition files (honouring .gitignore files met on the way), and glob patterns.
import { existsSync, readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** File names the directory search picks up. */
export function isDefFileName(name: string): boolean {
  return name.endsWith('.def') || /^(Singularity|Apptainer)(\.[^/]+)?$/.test(name);
}

const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);

interface IgnoreLayer {
  base: string;
  matcher: { ignores(path: string): boolean };
}

type IgnoreFactory = () => { add(patterns: string): IgnoreLayer['matcher']; ignores(path: string): boolean };

let ignoreFactory: IgnoreFactory | undefined;

async function loadIgnore(): Promise<IgnoreFactory> {
  if (!ignoreFactory) {
    const module = (await import('ignore')) as unknown as { default: IgnoreFactory };
    ignoreFactory = module.default;
  }
  return ignoreFactory;
}

function isIgnored(layers: IgnoreLayer[], path: string, isDir: boolean): boolean {
  for (const layer of layers) {
    const rel = relative(layer.base, resolve(path)).split(sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (layer.matcher.ignores(isDir ? rel + '/' : rel)) return true;
  }
  return false;
}

/**
 * A test for ignore patterns in .gitignore syntax, relative to `base`: paths outside `base` are
 * never ignored. A pattern without a slash matches at any depth (`fixtures/`, `*.bak.def`).
 */
export async function ignoreMatcher(base: string, patterns: string[]): Promise<(path: string) => boolean> {
  const matcher = (await loadIgnore())().add(patterns.join('\n'));
  const layer = { base: resolve(base), matcher };
  return (path) => isIgnored([layer], path, false);
}

/**
 * .gitignore files of the folders above `root`, up to the repository root (the folder holding
 * `.git`), so linting a subfolder honours the repository's ignore rules. None outside a repository.
 */
function ancestorLayers(root: string, createIgnore: IgnoreFactory): IgnoreLayer[] {
  const ancestors: string[] = [];
  let current = resolve(root);
  for (;;) {
    if (existsSync(join(current, '.git'))) break;
    const parent = dirname(current);
    if (parent === current) return [];
    current = parent;
    ancestors.push(current);
  }
  const layers: IgnoreLayer[] = [];
  for (const dir of ancestors.reverse()) {
    try {
      layers.push({ base: dir, matcher: createIgnore().add(readFileSync(join(dir, '.gitignore'), 'utf8')) });
    } catch {
      // No .gitignore here.
    }
  }
  return layers;
}

/** Called for a matching name that is not a regular file (FIFO, device, socket, dangling link). */
export type SkipReporter = (path: string, why: string) => void;

/** What a path found in a walk is, following symlinks: only regular files are ever read. */
function nonRegularReason(path: string): string | undefined {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 'a dangling symbolic link';
  }
  if (stats.isFile()) return undefined;
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/**
 * Every regular file under `root` accepted by `accept`, in sorted order, skipping ignored paths.
 * Matching names that are not regular files (a `*.def` symlink to a FIFO or /dev/zero) are
 * skipped and reported, never read: reading them could hang or never end.
 */
async function walk(root: string, accept: (path: string, name: string) => boolean, onSkip: SkipReporter): Promise<string[]> {
  const createIgnore = await loadIgnore();
  const found: string[] = [];
  const visit = (dir: string, layers: IgnoreLayer[]) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // Unreadable subdirectories are skipped, like git does.
    }
    let own = layers;
    if (entries.some((entry) => entry.name === '.gitignore' && entry.isFile())) {
      try {
        own = [...layers, { base: dir, matcher: createIgnore().add(readFileSync(join(dir, '.gitignore'), 'utf8')) }];
      } catch {
        // An unreadable .gitignore ignores nothing.
      }
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!ALWAYS_SKIPPED.has(entry.name) && !isIgnored(own, path, true)) visit(path, own);
      } else if (accept(path, entry.name) && !isIgnored(own, path, false)) {
        const why = entry.isFile() ? undefined : nonRegularReason(path);
        if (why === undefined) found.push(path);
        else if (why !== 'a directory') onSkip(path, why);
      }
    }
  };
  visit(root, ancestorLayers(root, createIgnore));
  return found;
}

const GLOB_CHARS = /[*?[\]{}]/;

export type Operand = { kind: 'stdin' } | { kind: 'file'; path: string };

export class OperandError extends Error {}

/** Resolves operands to files (deduplicated, in operand order). Throws OperandError. */
export async function expandOperands(operands: string[], onSkip: SkipReporter = () => undefined): Promise<Operand[]> {
  const result: Operand[] = [];
  const seen = new Set<string>();
  const add = (path: string) => {
    if (!seen.has(path)) {
      seen.add(path);
      result.push({ kind: 'file', path });
    }
  };
  for (const operand of operands) {
    if (operand === '-') {
      result.push({ kind: 'stdin' });
      continue;
    }
    let stats;
    try {
      stats = statSync(operand);
    } catch {
      stats = undefined;
    }
    if (stats?.isDirectory()) {
      const files = await walk(operand, (_, name) => isDefFileName(name), onSkip);
      if (files.length === 0) throw new OperandError(`${operand}: no definition files (*.def, Singularity*, Apptainer*) found`);
      files.forEach(add);
    } else if (stats) {
      add(operand);
    } else if (GLOB_CHARS.test(operand)) {
      const files = await expandGlob(operand, onSkip);
      if (files.length === 0) throw new OperandError(`${operand}: no files match`);
      files.forEach(add);
    } else {
      throw new OperandError(`${operand}: no such file or directory`);
    }
  }
  return result;
}

async function expandGlob(pattern: string, onSkip: SkipReporter): Promise<string[]> {
  const normalized = pattern.split(sep).join('/');
  const parts = normalized.split('/');
  const staticParts: string[] = [];
  for (const part of parts) {
    if (GLOB_CHARS.test(part)) break;
    staticParts.push(part);
  }
  const base = staticParts.length === 0 ? '.' : staticParts.join('/') || '/';
  const picomatchModule = (await import('picomatch')) as unknown as { default: typeof import('picomatch') };
  const matches = picomatchModule.default(normalized.replace(/^\.\//, ''), { dot: false });
  return walk(base, (path) => matches(path.split(sep).join('/').replace(/^\.\//, '')), onSkip);
}
