// A small stand-in for `apptainer build` with `Bootstrap: debootstrap`: it performs the steps
// of Apptainer's build (deffile-format.md §7.6) on plain root directories, with chroot and
// private mount namespaces instead of Apptainer's runtime. The definition is read with the
// project's own parser, through the result it computes for Apptainer (`parsed.apptainer`), so
// the harness sees exactly the scripts, files and headers Apptainer would.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from '../../../src/parse/index.js';
import type { ApptainerDefinition, ApptainerScript } from '../../../src/parse/model.js';
import { DEBIAN_MIRROR, unpackBase } from './rootfs.js';
import { E2E_BIN, removeTree, run, type RunResult } from './process.js';

/** PATH inside the root, as Apptainer sets it for build scripts. */
const CONTAINER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Host paths Apptainer mounts into the container while %post runs. */
const POST_BINDS = ['/tmp', '/var/tmp', '/etc/resolv.conf', '/etc/hosts'];

export interface BuildOptions {
  /** Folder for the stage roots; each stage gets `stage-<n>` inside it. */
  workDir: string;
  /** The build's working directory (relative `%files` sources, `%setup`); default: the def's folder. */
  contextDir?: string;
  /** Extra environment for `%test` (which, like `apptainer test`, also sees the caller's). */
  testEnv?: NodeJS.ProcessEnv;
  /** Like `--notest`. */
  skipTest?: boolean;
  /**
   * Folder of built stage roots keyed by content hash: a stage other than the last whose
   * definition, host `%files` contents and earlier stages are unchanged is unpacked from there
   * instead of being rebuilt (it passed its steps when it was stored). The last stage, the image,
   * is always built and tested. Off by default: most tests must prove the build itself.
   */
  stageCache?: string;
}

export interface BuiltStage {
  name?: string;
  root: string;
}

export interface BuildResult {
  ok: boolean;
  /** Built (or partly built) stages, in order. */
  stages: BuiltStage[];
  /** Root of the last stage: the image. */
  image: string;
  /** Per stage: built, or unpacked from the stage cache; and the seconds it took. */
  timings: { stage: string; cached: boolean; seconds: number }[];
  /** Every step's command output, with a `==> step` line before each. */
  log: string;
  /** The step that failed, e.g. `%post (stage 1)`. */
  failedStep?: string;
  error?: string;
}

class StepFailure extends Error {}

/** Apptainer's `getSectionScriptArgs`: how `%setup`/`%post` args become a command line. */
export function scriptCommand(section: string, args: string, scriptPath: string): string[] {
  const words = args.split('#')[0].trim().split(/\s+/).filter(Boolean);
  const dashC = words.indexOf('-c');
  if (dashC === -1) return ['/bin/sh', '-ex', ...words, scriptPath];
  const shellWords = words.slice(dashC + 1);
  if (shellWords.length === 0) {
    throw new StepFailure(`while processing section %${section} arguments: bad ${section} section '-c' parameter: missing arguments`);
  }
  return ['/bin/sh', '-ex', ...words.slice(0, dashC), '-c', `${shellWords.join(' ')} ${scriptPath}`];
}

/** Apptainer's `handleShebangScript`: the file written for %runscript, %test, %startscript. */
export function shebangScript(script: ApptainerScript): string {
  let shebang = '#!/bin/sh';
  let body = script.script;
  if (script.script.trim().startsWith('#!')) {
    const newline = script.script.indexOf('\n');
    shebang = (newline === -1 ? script.script : script.script.slice(0, newline)).trim();
    body = newline === -1 ? '' : script.script.slice(newline + 1);
  }
  const args = script.args.split('#')[0].trim();
  if (args) shebang += ` ${args}`;
  return `${shebang}\n\n${body}\n`;
}

/** `%files` args: '' copies from the host, exactly two words copy from the stage named by the second. */
function filesSource(args: string): { kind: 'host' } | { kind: 'stage'; stage: string } | { kind: 'skip' } {
  const words = args.split('#')[0].trim().split(/\s+/).filter(Boolean);
  if (args.split('#')[0] === '') return { kind: 'host' };
  if (words.length === 2) return { kind: 'stage', stage: words[1] };
  return { kind: 'skip' };
}

/** The target of a `%files` line inside a root; an empty destination means "same path as the source". */
function destinationIn(root: string, source: string, destination: string): string {
  const target = destination === '' ? source : destination;
  const joined = path.join(root, path.resolve('/', target));
  return target.endsWith('/') ? `${joined}/` : joined;
}

/**
 * The stage-cache key of every stage of a definition (see `stageCache`), without building: the
 * source-build tests use the build stage's key as the fingerprint of everything it is built from.
 */
export function stageCacheKeys(defPath: string, contextDir = path.dirname(defPath)): string[] {
  const parsed = parse(readFileSync(defPath, 'utf8'), { filename: defPath });
  if (!parsed.apptainer.ok) throw new Error(`Apptainer would reject ${defPath}: ${parsed.apptainer.error}`);
  const keys: string[] = [];
  for (const def of parsed.apptainer.defs) keys.push(stageKey(def, keys, path.resolve(contextDir)));
  return keys;
}

export async function buildDefinition(defPath: string, opts: BuildOptions): Promise<BuildResult> {
  const contextDir = path.resolve(opts.contextDir ?? path.dirname(defPath));
  const text = readFileSync(defPath, 'utf8');
  const parsed = parse(text, { filename: defPath });
  const result: BuildResult = { ok: false, stages: [], image: '', log: '', timings: [] };
  const keys: string[] = [];
  let step = 'parse';

  const record = (name: string, output: string) => {
    result.log += `==> ${name}\n${output}${output.endsWith('\n') || output === '' ? '' : '\n'}`;
  };
  const mustSucceed = (name: string, res: RunResult) => {
    record(name, res.output);
    if (res.code !== 0) throw new StepFailure(`${name} exited with status ${res.code}`);
  };

  try {
    if (!parsed.apptainer.ok) throw new StepFailure(`Apptainer would reject this file: ${parsed.apptainer.error}`);
    if (parsed.stages.some((s) => s.placeholders.some((p) => !p.skipped))) {
      throw new StepFailure('{{ NAME }} templating is not implemented by the e2e harness');
    }
    const defs = parsed.apptainer.defs;
    for (const def of defs) {
      // Say so rather than build something different from what Apptainer would build.
      if (def.appOrder.length > 0) throw new StepFailure('SCIF apps (%app* sections) are not implemented by the e2e harness');
      if (def.buildData.buildScripts.pre.script.trim() !== '') throw new StepFailure('%pre is not implemented by the e2e harness');
    }
    // Apptainer refuses a build unless every stage has a header (deffile-format.md §12).
    if (defs.some((d) => d.header === null)) throw new StepFailure('multiple stages detected, all must have headers');
    const stageNames = defs.map((d) => d.header?.stage);

    for (const [index, def] of defs.entries()) {
      const label = `stage ${index + 1}${stageNames[index] ? ` "${stageNames[index]}"` : ''}`;
      const root = path.join(opts.workDir, `stage-${index + 1}`);
      result.stages.push({ name: stageNames[index], root });
      result.image = root;
      await removeTree(root);
      const started = Date.now();
      const key = stageKey(def, keys, contextDir);
      keys.push(key);
      // The final stage (the image) is always built: only earlier stages come from the cache.
      const cacheable = opts.stageCache !== undefined && index < defs.length - 1;
      const cached = cacheable ? path.join(opts.stageCache!, `stage-${key}.tar`) : undefined;
      if (cached && existsSync(cached)) {
        step = `cached stage (${label})`;
        mkdirSync(root, { recursive: true });
        mustSucceed(step, await run(['tar', '-xf', cached, '-C', root]));
        result.timings.push({ stage: label, cached: true, seconds: (Date.now() - started) / 1000 });
        continue;
      }

      step = `bootstrap (${label})`;
      await bootstrap(def, root);
      record(step, `debootstrap ${def.header!.osversion} into ${root}\n`);

      for (const block of def.buildData.files) {
        const source = filesSource(block.args);
        if (source.kind !== 'stage') continue;
        step = `%files from ${source.stage} (${label})`;
        const from = stageNames.indexOf(source.stage);
        if (from === -1) throw new StepFailure(`unable to copy files from stage to container fs: stage ${source.stage} was not found`);
        for (const file of block.files ?? []) {
          const src = path.join(result.stages[from].root, path.resolve('/', file.source));
          const dst = destinationIn(root, file.source, file.destination);
          mkdirSync(dst.endsWith('/') ? dst : path.dirname(dst), { recursive: true });
          // -H: only the named path's own symlink is followed, links inside directories stay links.
          mustSucceed(step, await run(['cp', '-frH', '--', src, dst]));
        }
      }

      const setup = def.buildData.buildScripts.setup;
      if (setup.script.trim() !== '' || setup.args !== '') {
        step = `%setup (${label})`;
        const scriptDir = mkdtempIn(os.tmpdir(), 'e2e-setup-');
        try {
          const scriptPath = path.join(scriptDir, 'setup.script');
          writeFileSync(scriptPath, setup.script);
          const env = {
            ...process.env,
            APPTAINER_ROOTFS: root,
            SINGULARITY_ROOTFS: root,
            APPTAINER_ENVIRONMENT: path.join(root, '.singularity.d/env/91-environment.sh'),
            SINGULARITY_ENVIRONMENT: path.join(root, '.singularity.d/env/91-environment.sh'),
          };
          mustSucceed(step, await run(scriptCommand('setup', setup.args, scriptPath), { env, cwd: contextDir }));
        } finally {
          rmSync(scriptDir, { recursive: true, force: true });
        }
      }

      for (const block of def.buildData.files) {
        if (filesSource(block.args).kind !== 'host') continue;
        step = `%files (${label})`;
        for (const file of block.files ?? []) {
          if (/[*?[\]{}]/.test(file.source)) throw new StepFailure(`${file.source}: globs in %files are not implemented by the e2e harness`);
          const src = path.resolve(contextDir, file.source);
          if (!existsSync(src)) throw new StepFailure(`while copying ${file.source}: no such file or directory`);
          const dst = destinationIn(root, file.source, file.destination);
          mkdirSync(dst.endsWith('/') ? dst : path.dirname(dst), { recursive: true });
          mustSucceed(step, await run(['cp', '-fLr', '--', src, dst]));
        }
      }

      const post = def.buildData.buildScripts.post;
      if (post.script.trim() !== '' || post.args !== '') {
        step = `%post (${label})`;
        writeFileSync(path.join(root, '.post.script'), post.script);
        const env = {
          PATH: CONTAINER_PATH,
          HOME: '/root',
          APPTAINER_ENVIRONMENT: '/.singularity.d/env/91-environment.sh',
          SINGULARITY_ENVIRONMENT: '/.singularity.d/env/91-environment.sh',
          APPTAINER_LABELS: '/.singularity.d/labels.json',
          SINGULARITY_LABELS: '/.singularity.d/labels.json',
        };
        const binds = POST_BINDS.flatMap((b) => ['--bind', b]);
        const argv = [path.join(E2E_BIN, 'e2e-chroot'), ...binds, root, ...scriptCommand('post', post.args, '/.post.script')];
        try {
          mustSucceed(step, await run(argv, { env, cwd: '/' }));
        } finally {
          rmSync(path.join(root, '.post.script'), { force: true });
        }
      }

      step = `metadata (${label})`;
      writeMetadata(def, root);

      const test = def.imageData.imageScripts.test;
      if (!opts.skipTest && test.script.trim() !== '') {
        step = `%test (${label})`;
        mustSucceed(
          step,
          await run([path.join(E2E_BIN, 'apptainer'), 'exec', root, '/.singularity.d/test'], {
            env: { ...process.env, ...opts.testEnv, PATH: `${E2E_BIN}:${process.env.PATH}` },
            cwd: contextDir,
          }),
        );
      }
      if (cached) {
        step = `store stage (${label})`;
        mkdirSync(path.dirname(cached), { recursive: true });
        mustSucceed(step, await run(['tar', '-cf', `${cached}.part`, '-C', root, '.']));
        renameSync(`${cached}.part`, cached);
      }
      result.timings.push({ stage: label, cached: false, seconds: (Date.now() - started) / 1000 });
    }
    result.ok = true;
  } catch (err) {
    result.failedStep = step;
    result.error = (err as Error).message;
    record(`FAILED: ${step}`, `${result.error}\n`);
  }
  return result;
}

/** Bump to invalidate every cached stage when the harness's build steps change. */
const STAGE_CACHE_VERSION = 1;

/**
 * The content hash of a stage: its parsed definition (header, scripts, files, labels), the
 * contents of its host `%files` sources, and the keys of the stages before it (`%files from`).
 */
function stageKey(def: ApptainerDefinition, earlier: string[], contextDir: string): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ version: STAGE_CACHE_VERSION, mirror: process.env.APPTAINER_E2E_MIRROR ?? '', def, earlier }));
  for (const block of def.buildData.files) {
    if (filesSource(block.args).kind !== 'host') continue;
    for (const file of block.files ?? []) {
      const src = path.resolve(contextDir, file.source);
      hash.update(`\0${file.source}\0`);
      // Files are hashed by content; anything else (a directory) makes the stage uncacheable.
      if (existsSync(src) && statSync(src).isFile()) hash.update(readFileSync(src));
      else hash.update(`uncacheable:${Date.now()}:${Math.random()}`);
    }
  }
  return hash.digest('hex').slice(0, 32);
}

function mkdtempIn(dir: string, prefix: string): string {
  const made = path.join(dir, `${prefix}${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(made, { recursive: true });
  return made;
}

async function bootstrap(def: ApptainerDefinition, root: string): Promise<void> {
  const header = def.header ?? {};
  if (header.bootstrap !== 'debootstrap') {
    throw new StepFailure(`the e2e harness builds only "Bootstrap: debootstrap" stages, not "${header.bootstrap ?? ''}"`);
  }
  if (!header.mirrorurl) throw new StepFailure('invalid debootstrap header, no mirrorurl specified');
  if (!header.osversion) throw new StepFailure('invalid debootstrap header, no osversion specified');
  // Tests may point every recipe at a nearer mirror; the cache key follows the mirror used.
  const mirror = process.env.APPTAINER_E2E_MIRROR ? DEBIAN_MIRROR : header.mirrorurl;
  const include = (header.include ?? '').split(/[\s,]+/).filter(Boolean);
  await unpackBase({ suite: header.osversion, mirror, include }, root);
  // The skeleton Apptainer adds to every image.
  for (const dir of ['.singularity.d/env', '.singularity.d/actions', '.singularity.d/libs']) {
    mkdirSync(path.join(root, dir), { recursive: true });
  }
  writeFileSync(path.join(root, '.singularity.d/env/90-environment.sh'), '#!/bin/sh\n# Custom environment shell code should follow\n\n');
  writeFileSync(path.join(root, '.singularity.d/env/91-environment.sh'), '');
  writeFileSync(path.join(root, '.singularity.d/labels.json'), '{}\n');
}

function writeMetadata(def: ApptainerDefinition, root: string): void {
  const meta = path.join(root, '.singularity.d');
  const scripts = def.imageData.imageScripts;
  if (scripts.environment.script !== '') {
    writeFileSync(path.join(meta, 'env/90-environment.sh'), `${readFileSync(path.join(meta, 'env/90-environment.sh'), 'utf8')}${scripts.environment.script}\n`);
  }
  const executable = (name: string, script: ApptainerScript) => {
    if (script.script === '' && script.args === '') return;
    writeFileSync(path.join(meta, name), shebangScript(script), { mode: 0o755 });
  };
  executable('runscript', scripts.runScript);
  executable('startscript', scripts.startScript);
  executable('test', scripts.test);
  if (scripts.help.script !== '') writeFileSync(path.join(meta, 'runscript.help'), `${scripts.help.script}\n`);
  // Labels already in the image win, as without --force.
  const labelsPath = path.join(meta, 'labels.json');
  const labels = { ...def.imageData.labels, ...(JSON.parse(readFileSync(labelsPath, 'utf8')) as Record<string, string>) };
  writeFileSync(labelsPath, `${JSON.stringify(labels, null, 2)}\n`);
}

/** Runs the runtime stand-in with any arguments, e.g. `['exec', '--bind', dir, image, 'ls']`. */
export function apptainer(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<RunResult> {
  return run([path.join(E2E_BIN, 'apptainer'), ...args], {
    env: { ...process.env, ...env, PATH: `${E2E_BIN}:${process.env.PATH}` },
    cwd,
  });
}

/** `apptainer run IMAGE ARGS...` through the runtime stand-in. */
export function runImage(image: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<RunResult> {
  return apptainer(['run', image, ...args], env, cwd);
}

/** `apptainer exec IMAGE CMD...` through the runtime stand-in. */
export function execImage(image: string, argv: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<RunResult> {
  return apptainer(['exec', image, ...argv], env, cwd);
}
