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
  // The cache files are read all at once: one wait instead of one per script.
  const cached = await Promise.all(prepared.map((p) => memoryCache.get(p.key) ?? (cacheDir ? readDiskCache(cacheDir, p.key) : undefined)));
  prepared.forEach((p, i) => {
    const comments = cached[i];
    if (comments) {
      memoryCache.set(p.key, comments);
      results.set(p, comments);
    } else missing.push(p);
  });
  if (missing.length > 0) {
    const fresh = await checkInPool(executable, missing, options.timeoutMs ?? 60_000, options.onError);
    const writes: Promise<void>[] = [];
    for (const [p, comments] of fresh) {
      results.set(p, comments);
      // Scripts checked once for several callers (ShellCheckPool) are written once.
      if (memoryCache.has(p.key)) continue;
      memoryCache.set(p.key, comments);
      if (cacheDir) writes.push(writeDiskCache(cacheDir, p.key, comments));
    }
    await Promise.all(writes);
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
  const folded = masked.join('\n').toLowerCase();
  const names = [...declared].filter((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n) && mayConcern(n, folded)).sort();
  // Build sections run as `sh -ex`: telling ShellCheck so silences advice such as SC2164
  // (`cd` without `|| exit`) that -e already covers.
  const errexit = script.section.shell?.errexit ? 'set -e; ' : '';
  const text = [...masked.slice(0, preambleRow), errexit + ['export', ...names].join(' '), ...masked.slice(preambleRow)].join('\n') + '\n';
  const key = createHash('sha256')
    .update(`${version}\0${script.dialect}\0${exclude.join(',')}\0${text}`)
    .digest('hex');
  return { script, text, preambleRow, key, exclude };
}

/**
 * Whether declaring `name` in the preamble can change what ShellCheck says about a script whose
 * text, lower-cased, is `folded`. A declared name matters only for a variable of that name in the
 * script (SC2154, SC2034...) and as the "did you mean" of SC2153, which ShellCheck offers for a
 * name within two edits of the unassigned one, or equal to it but for case. Two edits leave at
 * least one of three pieces of the name intact, so a name none of whose pieces is in the text
 * cannot concern it. Leaving the others out matters: the builder's 25 names alone were 40% of
 * the text ShellCheck read, and a third of its time.
 */
function mayConcern(name: string, folded: string): boolean {
  const lower = name.toLowerCase();
  const third = Math.floor(lower.length / 3);
  const cuts = [lower.slice(0, third), lower.slice(third, 2 * third), lower.slice(2 * third)];
  return cuts.some((piece) => folded.includes(piece));
}

/** Who waits for a script's answer. */
interface Waiter {
  onError: ShellCheckOptions['onError'];
  done: (comments: Comment[] | undefined) => void;
}

/** One distinct script waiting for ShellCheck, with everyone waiting for its answer. */
export interface Job {
  item: Prepared;
  executable: string;
  timeoutMs: number;
  /** `executable` and the script's cache key: the same script checked the same way. */
  id: string;
  /** Roughly what checking it costs: ShellCheck's time is close to linear in its input. */
  weight: number;
  waiters: Waiter[];
}

/** A batch's findings per script; rejects when the process fails. */
export type BatchRunner = (batch: Job[]) => Promise<Map<Job, Comment[]>>;

/** What one more script costs besides its text, in characters. */
const SCRIPT_WEIGHT = 100;
/** Work a process starts with at least, unless the queue runs dry: about 0.2 s of ShellCheck. */
export const MIN_BATCH_WEIGHT = 24_000;
/** Scripts one ShellCheck process takes at most (keeps command lines and time limits sane). */
export const MAX_BATCH = 256;
/** How long the queue waits for more scripts before a smaller batch starts. */
const IDLE_MS = 10;

/**
 * Runs ShellCheck for every caller in the process (the CLI lints many files at once): at most one
 * ShellCheck process per core, each taking a batch of queued scripts of one dialect. Starting
 * ShellCheck costs far more than checking a script, so batching is what makes a cold cache
 * affordable.
 *  - A script already queued or being checked (the same text, dialect and options, from another
 *    section or file) is not checked again: its callers share the answer.
 *  - A batch takes the largest scripts of the fullest queue, up to a share of all queued work that
 *    shrinks with the queue (half of it spread over the cores): the last processes are short, so
 *    the cores finish together instead of one waiting for a long last batch.
 */
export class ShellCheckPool {
  private readonly queues = new Map<string, Job[]>();
  private readonly inFlight = new Map<string, Job>();
  private queuedWeight = 0;
  private running = 0;
  private idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly limit = Math.max(1, availableParallelism()),
    private readonly runBatch: BatchRunner = runShellCheckBatch,
  ) {}

  check(executable: string, item: Prepared, timeoutMs: number, onError: ShellCheckOptions['onError']): Promise<Comment[] | undefined> {
    return new Promise((done) => {
      const id = `${executable}\0${item.key}`;
      const same = this.inFlight.get(id);
      if (same) {
        same.waiters.push({ onError, done });
        return;
      }
      const job: Job = { item, executable, timeoutMs, id, weight: item.text.length + SCRIPT_WEIGHT, waiters: [{ onError, done }] };
      this.inFlight.set(id, job);
      const key = `${executable}\0${shellFlag(item.script.dialect)}\0${item.exclude.join(',')}`;
      let queue = this.queues.get(key);
      if (!queue) this.queues.set(key, (queue = []));
      queue.push(job);
      this.queuedWeight += job.weight;
      // Enough work for a process goes at once; less waits until the callers pause (a one-file
      // lint waits those few milliseconds once).
      if (this.queuedWeight >= MIN_BATCH_WEIGHT) this.pump(MIN_BATCH_WEIGHT);
      clearTimeout(this.idle);
      this.idle = setTimeout(() => this.pump(1), IDLE_MS);
    });
  }

  /** Starts processes while cores are free and at least `least` weight of scripts is queued. */
  private pump(least: number): void {
    while (this.running < this.limit && this.queuedWeight >= least && this.queues.size > 0) {
      let key = '';
      let fullest: Job[] = [];
      let fullestWeight = -1;
      for (const [k, queue] of this.queues) {
        const weight = queue.reduce((sum, job) => sum + job.weight, 0);
        if (weight > fullestWeight) [key, fullest, fullestWeight] = [k, queue, weight];
      }
      const share = Math.max(MIN_BATCH_WEIGHT, this.queuedWeight / (2 * this.limit));
      fullest.sort((a, b) => b.weight - a.weight);
      let taken = 0;
      let weight = 0;
      while (taken < fullest.length && taken < MAX_BATCH && weight < share) weight += fullest[taken++].weight;
      const batch = fullest.splice(0, taken);
      if (fullest.length === 0) this.queues.delete(key);
      this.queuedWeight -= weight;
      this.running++;
      void this.runBatch(batch)
        .then(
          (found) => this.answer(batch, (job) => found.get(job) ?? []),
          (error: unknown) => this.answer(batch, () => undefined, error instanceof Error ? error : new Error(String(error))),
        )
        .finally(() => {
          this.running--;
          this.pump(1);
        });
    }
  }

  /** Gives every waiter its script's findings (undefined: not checked). */
  private answer(batch: Job[], comments: (job: Job) => Comment[] | undefined, error?: Error): void {
    // A crash or time-out of ShellCheck must not fail the lint run: report it (once per caller),
    // and skip these scripts.
    const reported = new Set<ShellCheckOptions['onError']>();
    for (const job of batch) {
      this.inFlight.delete(job.id);
      for (const { onError, done } of job.waiters) {
        if (error && onError && !reported.has(onError)) {
          reported.add(onError);
          onError(error);
        }
        done(comments(job));
      }
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
async function runShellCheckBatch(batch: Job[]): Promise<Map<Job, Comment[]>> {
  const { executable, item: first } = batch[0];
  const dir = await mkdtemp(join(tmpdir(), 'apptainer-gen-sc-'));
  try {
    const paths = new Map<string, Job>(batch.map((job, i) => [join(dir, `s${i}.sh`), job]));
    await Promise.all([...paths].map(([path, job]) => writeFile(path, job.item.text)));
    const args = ['--format=json1', '--norc', `--shell=${shellFlag(first.script.dialect)}`];
    if (first.exclude.length > 0) args.push(`--exclude=${first.exclude.join(',')}`);
    // The per-process limit grows with the batch: many scripts take longer than one.
    const timeoutMs = Math.max(...batch.map((job) => job.timeoutMs)) * Math.ceil(batch.length / 16);
    const parsed = JSON.parse(await run(executable, [...args, ...paths.keys()], timeoutMs)) as { comments: (Comment & { file: string })[] };
    const comments = new Map<Job, Comment[]>(batch.map((job) => [job, []]));
    for (const comment of parsed.comments) {
      const job = paths.get(comment.file);
      if (job) comments.get(job)!.push(comment);
    }
    return comments;
  } finally {
    // Not awaited: the next process need not wait for the clean-up (which still ends before the
    // process exits).
    void rm(dir, { recursive: true, force: true }).catch(() => undefined);
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
