// DEF606, DEF607, DEF608, DEF609: what ends up in the image besides the application.
import type { Range, Stage } from '../../../parse/model.js';
import {
  hasAnyFlag, isAptGet, isApk, isBuildSection, isCurlOrWget, isDnf, isOsPackageInstall, isYum, optionValue, packagesInstalled, pipesInto, rmTargets,
  urlArgs,
} from '../../shell/index.js';
import type { Rule, ShellCommand, ShellScript } from '../../types.js';
import { insertFix, isFinalStage } from '../shell/helpers.js';
import { scriptsOfStage } from '../util/shell-tree.js';

const TOOLCHAIN = /^(build-essential|gcc|g\+\+|gfortran|clang|cmake|gcc-c\+\+|gcc-gfortran|devtoolset-\d+.*|gcc-toolset-\d+.*|[\w.+-]+-dev|[\w.+-]+-devel)([=<>].*)?$/;

function removesPackages(cmd: ShellCommand): string[] {
  if (isAptGet(cmd, 'remove', 'purge', 'autoremove') || isYum(cmd, 'remove', 'erase') || isDnf(cmd, 'remove', 'erase') || isApk(cmd, 'del')) {
    return cmd.args.filter((a) => !a.text.startsWith('-')).map((a) => a.text);
  }
  return [];
}

export const toolchainInFinalImage: Rule = {
  meta: {
    id: 'DEF606',
    slug: 'toolchain-in-final-image',
    group: 'size',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'Compilers and `-dev` packages installed in the final image and never removed.',
    description: [
      'Compilers, `build-essential`, `cmake` and `-dev`/`-devel` packages are needed to build the',
      'software, not to run it, and often add hundreds of megabytes. Build in a first stage and copy',
      'the result into a slim final stage with `%files from <stage>`, or remove the build tools at the',
      'end of `%post`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get install -y --no-install-recommends build-essential\n    make -C /opt/src install\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\nStage: build\n\n%post\n    apt-get install -y --no-install-recommends build-essential\n    make -C /opt/src install\n\nBootstrap: docker\nFrom: ubuntu:22.04\nStage: final\n\n%files from build\n    /usr/local/bin/tool /usr/local/bin/tool\n',
    source: 'AP-DEF (multi-stage "slimmer final image"); hpccm practice',
    needsShell: true,
  },
  check(ctx) {
    const seenStages = new Set<unknown>();
    const scripts = ctx.scripts.filter((s) => isBuildSection(s.section) && isFinalStage(ctx.file, s.stage));
    const commands = scripts.flatMap((s) => s.commands);
    const removed = new Set(commands.flatMap(removesPackages).map((p) => p.replace(/[=<>].*$/, '')));
    for (const script of scripts) {
      if (seenStages.has(script.stage)) continue;
      for (const cmd of script.commands) {
        if (!isOsPackageInstall(cmd)) continue;
        const virtual = optionValue(cmd, '--virtual') ?? optionValue(cmd, '-t');
        if (virtual && removed.has(virtual)) continue;
        const tools = packagesInstalled(cmd).filter((w) => w.isStatic && TOOLCHAIN.test(w.text) && !removed.has(w.text.replace(/[=<>].*$/, '')));
        if (tools.length === 0) continue;
        const names = tools.slice(0, 4).map((t) => t.text).join(', ') + (tools.length > 4 ? ', ...' : '');
        ctx.report({
          message: `Build tools (${names}) stay in the final image. Build in a separate stage and copy the result with \`%files from\`, or remove them at the end.`,
          range: { start: tools[0].range.start, end: tools[tools.length - 1].range.end },
        });
        seenStages.add(script.stage);
        break;
      }
    }
  },
};

const ARCHIVE = /\.(tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|zip|tar)$/i;
const NOT_STORED = /^\/(tmp|var\/tmp|dev\/shm)(\/|$)/;

/** Where a download is written, as a path relative to the current directory or absolute. */
function downloadTarget(cmd: ShellCommand, url: string): string | undefined {
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

function joinPath(dir: string | undefined, path: string): string | undefined {
  if (path.startsWith('/')) return path;
  if (dir === undefined) return undefined;
  return `${dir.replace(/\/$/, '')}/${path.replace(/^\.\//, '')}`;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
}

export const sourcesLeftBehind: Rule = {
  meta: {
    id: 'DEF607',
    slug: 'sources-left-behind',
    group: 'size',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'Downloaded source archives are never deleted.',
    description: [
      'A tarball downloaded and unpacked in `%post` stays in the image unless it is removed; so does',
      'the unpacked source tree. Download into a scratch directory and delete it when the install is',
      'done (`rm -rf` the archive and the tree), or build in a separate stage.',
      'Downloads into `/tmp` are not reported: the host\'s `/tmp` is mounted there and nothing is kept.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    cd /opt\n    wget -q https://example.org/tool-1.0.tar.gz\n    tar -xzf tool-1.0.tar.gz\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    cd /opt\n    wget -q https://example.org/tool-1.0.tar.gz\n    tar -xzf tool-1.0.tar.gz\n    rm -f tool-1.0.tar.gz\n',
    source: 'size practice',
    needsShell: true,
  },
  check(ctx) {
    const scripts = ctx.scripts.filter((s) => isBuildSection(s.section) && isFinalStage(ctx.file, s.stage));
    // What the stage removes, computed once per stage rather than once per script with downloads.
    const removalsByStage = new Map<Stage, Removal[]>();
    for (const script of scripts) {
      // Track the working directory of top-level `cd`s; undefined while unknown (the directory
      // %post starts in is not something to rely on).
      let cwd: string | undefined;
      const downloads: { path?: string; name: string; range: Range; at: number }[] = [];
      for (const cmd of script.commands) {
        if (cmd.baseName === 'cd' && !cmd.nested) {
          const target = cmd.args[0];
          cwd = target && target.isStatic ? joinPath(cwd, target.text) : undefined;
          continue;
        }
        if (!isCurlOrWget(cmd) || cmd.pipeline || cmd.nested) continue;
        for (const url of urlArgs(cmd)) {
          if (!ARCHIVE.test(url.text.replace(/[?#].*$/, ''))) continue;
          const target = downloadTarget(cmd, url.text);
          if (!target || /[$`]/.test(target)) continue;
          const path = joinPath(cwd, target);
          if (path && NOT_STORED.test(path)) continue;
          downloads.push({ path, name: target.split('/').pop()!, range: url.range, at: cmd.range.start.offset });
        }
      }
      if (downloads.length === 0) continue;
      let removals = removalsByStage.get(script.stage);
      if (!removals) {
        removals = stageRemovals(scriptsOfStage(scripts, script.stage));
        removalsByStage.set(script.stage, removals);
      }
      for (const d of downloads) {
        const removed = removals.some(
          (r) => r.at > d.at && (r.name?.test(d.name) || (d.path !== undefined && (r.full?.test(d.path) || (r.prefix !== undefined && d.path.startsWith(`${r.prefix}/`))))),
        );
        if (removed) continue;
        ctx.report({ message: `${d.name} is downloaded${d.path ? ` to ${d.path}` : ''} and never deleted: it stays in the image.`, range: d.range });
      }
    }
  },
};

interface Removal {
  full?: RegExp;
  prefix?: string;
  name?: RegExp;
  at: number;
}

/** Every `rm` target of the scripts, resolved against the tracked working directory. */
function stageRemovals(scripts: ShellScript[]): Removal[] {
  const removals: Removal[] = [];
  let rmCwd: string | undefined;
  for (const cmd of scripts.flatMap((s) => s.commands)) {
    if (cmd.baseName === 'cd' && !cmd.nested) {
      const target = cmd.args[0];
      rmCwd = target && target.isStatic ? joinPath(rmCwd, target.text) : undefined;
    }
    for (const t of rmTargets(cmd)) {
      if (/[$`]/.test(t.text)) continue;
      const full = joinPath(rmCwd, t.text)?.replace(/\/+$/, '');
      removals.push({
        full: full ? globToRegExp(full) : undefined,
        prefix: full && full !== '' ? full : undefined,
        // A bare name (`rm tool.tar.gz`) is matched by name; `/var/lib/apt/lists/*` only by path.
        name: t.text.includes('/') ? undefined : globToRegExp(t.text),
        at: cmd.range.start.offset,
      });
    }
  }
  return removals;
}

export const noisyDownloads: Rule = {
  meta: {
    id: 'DEF608',
    slug: 'noisy-downloads',
    group: 'size',
    defaultSeverity: 'style',
    presets: ['recommended'],
    summary: '`wget` without `-q`/`--progress=dot:giga`, `curl` without `-sS`: progress bars flood the build log.',
    description: [
      'Without a terminal, download progress meters print thousands of lines into build logs. Use',
      '`wget -q` or `wget --progress=dot:giga`, and `curl -sS` (silent, but still shows errors).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    wget https://example.org/tool-1.0.tar.gz\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    wget -q https://example.org/tool-1.0.tar.gz\n',
    source: 'HL DL3047',
    needsShell: true,
    fixKind: 'safe',
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      if (!isBuildSection(script.section)) continue;
      for (const cmd of script.commands) {
        if (cmd.baseName === 'wget' && !hasAnyFlag(cmd, 'q', 'quiet', 'nv', '-nv', 'no-verbose', 'progress', 'o', 'output-file', 'a', 'append-output', 'spider')) {
          ctx.report({ message: '`wget` prints a progress bar into the build log; use -q or --progress=dot:giga.', range: cmd.nameRange, fix: insertFix('Add --progress=dot:giga', cmd.nameRange.end.offset, ' --progress=dot:giga') });
        } else if (cmd.baseName === 'curl' && !hasAnyFlag(cmd, 's', 'silent', 'no-progress-meter', '#', 'progress-bar') && (hasAnyFlag(cmd, 'o', 'O', 'output', 'remote-name') || pipesInto(cmd, 'tar', 'sh', 'bash', 'gunzip', 'bzip2', 'xz', 'zcat', 'python', 'python3', 'tee', 'gpg', 'apt-key'))) {
          ctx.report({ message: '`curl` prints a progress meter into the build log; use -sS.', range: cmd.nameRange, fix: insertFix('Add -sS', cmd.nameRange.end.offset, ' -sS') });
        }
      }
    }
  },
};

const BROAD_SOURCES = new Set(['.', './', '/', '*', './*', '..', '../', '~', '~/', '$HOME', '${HOME}', '$PWD', '${PWD}']);

export const broadFilesCopy: Rule = {
  meta: {
    id: 'DEF609',
    slug: 'broad-files-copy',
    group: 'size',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`%files` copies `.`, `/`, `$HOME` or a whole project tree.',
    description: [
      'Copying the whole build directory (or a home directory) puts everything in it into the image:',
      'version-control history, build outputs, data files, credentials. Copy the files the image needs,',
      'one line each.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%files\n    . /opt/app\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%files\n    src/app.py /opt/app/app.py\n',
    source: 'HL DL3067 (analogue)',
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      for (const section of stage.sections) {
        if (section.fromStage) continue; // copying from another stage is explicit
        for (const entry of section.files ?? []) {
          const source = entry.source.replace(/^["']|["']$/g, '');
          if (!BROAD_SOURCES.has(source)) continue;
          ctx.report({ message: `\`%files\` copies ${source === '.' || source === './' ? 'the whole build directory' : source}: everything in it ends up in the image.`, range: entry.sourceRange });
        }
      }
    }
  },
};
