// ShellCheck integration (DEF300): every shell section is checked in its own dialect and each
// finding is mapped back to its exact def-file line and column.
//
// How a section becomes a ShellCheck input:
//  - `{{ NAME }}` placeholders are replaced by same-length filler, so columns stay right;
//  - one `export A B c ...` line declaring the builder's variables and the stage's
//    `%environment` names is inserted before the first command (after any leading comments, so a
//    top-of-script `# shellcheck disable=...` directive still applies to the whole script);
//  - lines after that preamble are shifted back when findings are mapped.
// ShellCheck's json1 format counts a tab as one column, and counts code points, which we convert
// to UTF-16 offsets.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedFile, Range } from '../parse/model.js';
import { isEnvironmentSection, maskPlaceholders, shellDetails } from './shell/index.js';
import type { Finding, Fix, Severity, ShellScript, TextEdit } from './types.js';
import { isDefFileIdiom } from './shellcheck-idioms.js';
import { BUILD_ONLY_VARIABLES } from './vocab/sections.js';

export interface ShellCheckOptions {
  /** Executable to run (default `shellcheck` from PATH). */
  executable?: string;
  /** SC codes never to report (`SC2086` or `2086`), besides SC1090/SC1091 which are always off. */
  exclude?: string[];
  /** On-disk cache directory; `false` disables it. Default `$XDG_CACHE_HOME/apptainer-gen/shellcheck`. */
  cacheDir?: string | false;
  /** Per-process time limit (default 60 s). */
  timeoutMs?: number;
  /** Called when a ShellCheck process fails; its sections are then skipped (default: ignore). */
  onError?: (error: Error) => void;
}

/** One ShellCheck comment in the coordinates of the text ShellCheck saw. */
interface Comment {
  line: number;
  endLine: number;
  column: number;
  endColumn: number;
  level: string;
  code: number;
  message: string;
  fix: { replacements: { line: number; endLine: number; column: number; endColumn: number; replacement: string }[] } | null;
}

/** Variables the builder defines in script sections (upper-case, so ShellCheck already trusts them, but explicit is cheap). */
const BUILDER_VARIABLES = [
  ...BUILD_ONLY_VARIABLES,
  'APPTAINER_NAME',
  'SINGULARITY_NAME',
  'APPTAINER_CONTAINER',
  'SINGULARITY_CONTAINER',
  'SCIF_APPNAME',
  'SCIF_APPROOT',
  'SCIF_APPDATA',
  'SCIF_APPBIN',
  'SCIF_APPLIB',
  'SCIF_APPMETA',
  'SCIF_APPRUN',
  'SCIF_APPTEST',
  'SCIF_APPHELP',
  'SCIF_APPENV',
  'SCIF_APPLABELS',
  'SCIF_APPS',
  'SCIF_DATA',
  'SCIF_APPINPUT',
  'SCIF_APPOUTPUT',
];

/**
 * Never useful here: SC1090/SC1091 (cannot follow a sourced file — it lives inside the image, not
 * next to the def file).
 */
const DEFAULT_EXCLUDE = ['1090', '1091'];

const SHEBANG_SECTIONS = new Set(['runscript', 'startscript', 'test']);

const memoryCache = new Map<string, Comment[]>();
const versions = new Map<string, Promise<string | undefined>>();

/** ShellCheck's version, or undefined when it is not installed. */
export function shellCheckVersion(executable = 'shellcheck'): Promise<string | undefined> {
  let version = versions.get(executable);
  if (!version) {
    version = new Promise((resolve) => {
      execFile(executable, ['--version'], { timeout: 10_000 }, (error, stdout) => {
        if (error) return resolve(undefined);
        resolve(/version:\s*(\S+)/.exec(stdout)?.[1] ?? 'unknown');
      });
    });
    versions.set(executable, version);
  }
  return version;
}

interface Prepared {
  script: ShellScript;
  text: string;
  /** Body row (0-based) before which the one-line preamble sits; -1 when there is none. */
  preambleRow: number;
  key: string;
  exclude: string[];
}

/** Runs ShellCheck over the scripts; returns [] when ShellCheck is not installed. */
export async function runShellCheck(file: ParsedFile, scripts: ShellScript[], options: ShellCheckOptions = {}): Promise<Finding[]> {
  const executable = options.executable ?? 'shellcheck';
  const version = await shellCheckVersion(executable);
  if (!version || scripts.length === 0) return [];
  const globalExclude = [...DEFAULT_EXCLUDE, ...(options.exclude ?? [])].map((c) => c.replace(/^SC/i, ''));
  const prepared = scripts.map((script) => prepare(script, scripts, version, globalExclude));
  const cacheDir = options.cacheDir === false ? undefined : (options.cacheDir ?? defaultCacheDir());

  const results = new Map<Prepared, Comment[]>();
  const missing: Prepared[] = [];
  for (const p of prepared) {
    const cached = memoryCache.get(p.key) ?? (cacheDir ? await readDiskCache(cacheDir, p.key) : undefined);
    if (cached) {
      memoryCache.set(p.key, cached);
      results.set(p, cached);
    } else missing.push(p);
  }
  if (missing.length > 0) {
    const fresh = await checkInPool(executable, missing, options.timeoutMs ?? 60_000, options.onError);
    for (const [p, comments] of fresh) {
      results.set(p, comments);
      memoryCache.set(p.key, comments);
      if (cacheDir) await writeDiskCache(cacheDir, p.key, comments);
    }
  }
  const findings: Finding[] = [];
  for (const p of prepared) {
    for (const comment of results.get(p) ?? []) {
      const finding = toFinding(file, p, comment);
      if (finding && !isDefFileIdiom(finding, p.script, file)) findings.push(finding);
    }
  }
  return findings;
}

function prepare(script: ShellScript, all: ShellScript[], version: string, globalExclude: string[]): Prepared {
  const lines = script.section.bodyLines;
  const masked = maskPlaceholders(lines.map((l) => l.text).join('\n')).text.split('\n');
  // Apptainer trims the first line of %runscript/%startscript/%test when it is a `#!` line and uses
  // it as the interpreter (metadata.go handleShebangScript): an indented one is fine (no SC1114).
  if (SHEBANG_SECTIONS.has(script.section.name) && /^\s+#!/.test(masked[0] ?? '')) masked[0] = masked[0].trimStart();
  const declared = new Set(BUILDER_VARIABLES);
  for (const other of all) {
    if (other.stage !== script.stage || !isEnvironmentSection(other.section)) continue;
    // The global %environment applies everywhere; an %appenv only to its own app.
    if (other.section.app && other.section.app !== script.section.app) continue;
    for (const a of shellDetails(other).assignments) declared.add(a.name);
  }
  // In %environment itself, an unexported assignment is DEF206's business, not SC2034's.
  const exclude = isEnvironmentSection(script.section) ? [...globalExclude, '2034'] : globalExclude;
  let preambleRow = masked.findIndex((line) => !/^\s*(#.*)?$/.test(line));
  if (preambleRow < 0) preambleRow = masked.length;
  const names = [...declared].filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n)).sort();
  // Build sections run as `sh -ex`: telling ShellCheck so silences advice such as SC2164
  // (`cd` without `|| exit`) that -e already covers.
  const errexit = script.section.shell?.errexit ? 'set -e; ' : '';
  const text = [...masked.slice(0, preambleRow), `${errexit}export ${names.join(' ')}`, ...masked.slice(preambleRow)].join('\n') + '\n';
  const key = createHash('sha256')
    .update(`${version}\0${script.dialect}\0${exclude.join(',')}\0${text}`)
    .digest('hex');
  return { script, text, preambleRow, key, exclude };
}

/** One script waiting for ShellCheck, with where its answer goes. */
interface Job {
  item: Prepared;
  executable: string;
  timeoutMs: number;
  onError: ShellCheckOptions['onError'];
  done: (comments: Comment[] | undefined) => void;
}

/** Scripts one ShellCheck process takes at most, and the batch that starts without waiting. */
const MAX_BATCH = 128;
const MIN_BATCH = 64;
/** How long the queue waits for more scripts before a smaller batch starts. */
const IDLE_MS = 10;

/**
 * Runs ShellCheck for every caller in the process (the CLI lints many files at once): at most one
 * ShellCheck process per core, each taking every queued script of one dialect (up to MAX_BATCH)
 * at once. Starting ShellCheck costs far more than checking a script, so batching is what makes a
 * cold cache affordable; the first process starts at once, and the queue fills while it runs.
 */
class ShellCheckPool {
  private readonly queues = new Map<string, Job[]>();
  private running = 0;
  private readonly limit = Math.max(1, availableParallelism());
  private idle: NodeJS.Timeout | undefined;

  check(executable: string, item: Prepared, timeoutMs: number, onError: ShellCheckOptions['onError']): Promise<Comment[] | undefined> {
    return new Promise((done) => {
      const key = `${executable}\0${shellFlag(item.script.dialect)}\0${item.exclude.join(',')}`;
      let queue = this.queues.get(key);
      if (!queue) this.queues.set(key, (queue = []));
      queue.push({ item, executable, timeoutMs, onError, done });
      // A full batch goes at once; smaller ones wait until the callers pause (a one-file lint
      // waits those few milliseconds once).
      if (queue.length >= MIN_BATCH) this.pump(MIN_BATCH);
      clearTimeout(this.idle);
      this.idle = setTimeout(() => this.pump(1), IDLE_MS);
    });
  }

  /** Starts processes while cores are free, for queues of at least `least` scripts. */
  private pump(least: number): void {
    for (const [key, queue] of this.queues) {
      if (this.running >= this.limit) return;
      if (queue.length < least) continue;
      const batch = queue.splice(0, MAX_BATCH);
      if (queue.length === 0) this.queues.delete(key);
      this.running++;
      void runBatch(batch).finally(() => {
        this.running--;
        this.pump(1);
      });
    }
  }
}

const pool = new ShellCheckPool();

async function checkInPool(executable: string, items: Prepared[], timeoutMs: number, onError: ShellCheckOptions['onError']): Promise<Map<Prepared, Comment[]>> {
  const answers = await Promise.all(items.map((item) => pool.check(executable, item, timeoutMs, onError)));
  const results = new Map<Prepared, Comment[]>();
  items.forEach((item, i) => {
    const comments = answers[i];
    if (comments) results.set(item, comments);
  });
  return results;
}

/** One ShellCheck process over a batch of same-dialect scripts, one temporary file each. */
async function runBatch(batch: Job[]): Promise<void> {
  const { executable, item: first } = batch[0];
  const comments = new Map<Job, Comment[]>(batch.map((job) => [job, []]));
  let dir: string | undefined;
  try {
    dir = await mkdtemp(join(tmpdir(), 'apptainer-gen-sc-'));
    const paths = new Map<string, Job>();
    for (const [i, job] of batch.entries()) {
      const path = join(dir, `s${i}.sh`);
      await writeFile(path, job.item.text);
      paths.set(path, job);
    }
    const args = ['--format=json1', '--norc', `--shell=${shellFlag(first.script.dialect)}`];
    if (first.exclude.length > 0) args.push(`--exclude=${first.exclude.join(',')}`);
    // The per-process limit grows with the batch: many scripts take longer than one.
    const timeoutMs = Math.max(...batch.map((job) => job.timeoutMs)) * Math.ceil(batch.length / 16);
    const parsed = JSON.parse(await run(executable, [...args, ...paths.keys()], timeoutMs)) as { comments: (Comment & { file: string })[] };
    for (const comment of parsed.comments) {
      const job = paths.get(comment.file);
      if (job) comments.get(job)!.push(comment);
    }
    for (const job of batch) job.done(comments.get(job));
  } catch (error) {
    // A crash or time-out of ShellCheck must not fail the lint run: report it (once per caller),
    // and skip these scripts.
    const reported = new Set<ShellCheckOptions['onError']>();
    for (const job of batch) {
      if (job.onError && !reported.has(job.onError)) {
        reported.add(job.onError);
        job.onError(error instanceof Error ? error : new Error(String(error)));
      }
      job.done(undefined);
    }
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/** ShellCheck knows sh, bash, dash, ksh (and busybox); zsh is not supported, bash is closest. */
function shellFlag(dialect: ShellScript['dialect']): string {
  return dialect === 'zsh' ? 'bash' : dialect;
}

function run(executable: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(executable, args, { timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      // Exit status 1 just means "found something"; anything without JSON output is a failure.
      if (stdout.trim().startsWith('{')) return resolve(stdout);
      reject(new Error(`shellcheck failed: ${stderr.trim() || error?.message || 'no output'}`));
    });
  });
}

function toFinding(file: ParsedFile, p: Prepared, comment: Comment): Finding | undefined {
  const range = mapRange(file, p, comment.line, comment.column, comment.endLine, comment.endColumn);
  if (!range) return undefined; // a finding on the preamble line itself
  const finding: Finding = {
    ruleId: `SC${comment.code}`,
    slug: 'shellcheck',
    severity: severityOf(comment.level),
    message: comment.message,
    range,
  };
  const fix = comment.fix ? mapFix(file, p, comment) : undefined;
  if (fix) finding.suggestions = [fix];
  return finding;
}

function mapFix(file: ParsedFile, p: Prepared, comment: Comment): Fix | undefined {
  const edits: TextEdit[] = [];
  for (const r of comment.fix?.replacements ?? []) {
    const range = mapRange(file, p, r.line, r.column, r.endLine, r.endColumn);
    if (!range) return undefined;
    edits.push({ start: range.start.offset, end: range.end.offset, text: r.replacement });
  }
  edits.sort((a, b) => a.start - b.start);
  return edits.length > 0 ? { description: `Apply ShellCheck's fix for SC${comment.code}`, edits } : undefined;
}

function severityOf(level: string): Severity {
  return level === 'error' || level === 'warning' || level === 'info' || level === 'style' ? level : 'warning';
}

/** Maps 1-based ShellCheck line/column (code points, tab = 1) to a def-file range. */
function mapRange(file: ParsedFile, p: Prepared, line: number, column: number, endLine: number, endColumn: number): Range | undefined {
  const start = mapPoint(p, line, column);
  const end = mapPoint(p, endLine, endColumn) ?? start;
  if (start === undefined || end === undefined) return undefined;
  return { start: file.positionAt(start), end: file.positionAt(Math.max(start, end)) };
}

function mapPoint(p: Prepared, line: number, column: number): number | undefined {
  let row = line - 1;
  if (p.preambleRow >= 0) {
    if (row === p.preambleRow) return undefined;
    if (row > p.preambleRow) row--;
  }
  const lines = p.script.section.bodyLines;
  if (lines.length === 0) return undefined;
  if (row >= lines.length) {
    const last = lines[lines.length - 1];
    return last.offset + last.text.length;
  }
  const { text, offset } = lines[Math.max(0, row)];
  return offset + codePointsToUtf16(text, Math.max(0, column - 1));
}

function codePointsToUtf16(text: string, codePoints: number): number {
  let index = 0;
  for (let n = 0; n < codePoints && index < text.length; n++) index += text.codePointAt(index)! > 0xffff ? 2 : 1;
  return Math.min(index, text.length);
}

function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'apptainer-gen', 'shellcheck');
}

async function readDiskCache(dir: string, key: string): Promise<Comment[] | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(dir, `${key}.json`), 'utf8')) as unknown;
    return Array.isArray(parsed) ? (parsed as Comment[]) : undefined;
  } catch {
    return undefined;
  }
}

async function writeDiskCache(dir: string, key: string, comments: Comment[]): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `${key}.${process.pid}.tmp`);
    await writeFile(temp, JSON.stringify(comments));
    await rename(temp, join(dir, `${key}.json`));
  } catch {
    // A read-only or full cache directory only costs speed.
  }
}
