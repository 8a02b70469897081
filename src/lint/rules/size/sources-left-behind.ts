// DEF607 sources-left-behind: Downloaded source archives are never deleted.
import type { Range, Stage } from '../../../parse/model.js';
import type { ShellCommand, ShellScript } from '../../types.js';
import { scriptsOfStage } from '../../vocab/shell-tree.js';
import { isBuildSection, isCurlOrWget, rmTargets } from '../../shell/index.js';
import { resolvedText, resolvedUrls, resolverFor, type Resolver } from '../../vocab/shell-values.js';
import { isFinalStage } from '../../vocab/shell-commands.js';
import { defineRule } from '../../define-rule.js';
import { ARCHIVE, NOT_STORED, downloadTarget, joinPath, RemovalIndex } from '../../vocab/size-image-contents.js';

export const sourcesLeftBehind = defineRule({
  create(ctx) {
    const inFinalBuild = (script: ShellScript) => isBuildSection(script.section) && isFinalStage(ctx.file, script.stage);
    const scripts = ctx.scripts.filter(inFinalBuild);
    // What the stage removes, computed once per stage rather than once per script with downloads.
    const removalsByStage = new Map<Stage, RemovalIndex>();
    return {
      script(script) {
        if (!inFinalBuild(script)) return;
        // Track the working directory of top-level `cd`s; undefined while unknown (the directory
        // %post starts in is not something to rely on).
        let cwd: string | undefined;
        const resolve = resolverFor(ctx, script);
        const downloads: { path?: string; name: string; range: Range; at: number }[] = [];
        for (const cmd of script.commands) {
          if (cmd.baseName === 'cd' && !cmd.nested) {
            cwd = cdTarget(cmd, cwd, resolve);
            continue;
          }
          if (!isCurlOrWget(cmd) || cmd.pipeline || cmd.nested) continue;
          for (const url of resolvedUrls(cmd, resolve)) {
            if (!ARCHIVE.test(url.text.replace(/[?#].*$/, ''))) continue;
            const written = downloadTarget(cmd, url.text);
            const target = written && /[$`{]/.test(written) ? resolve(written, cmd.range.start.offset) : written;
            if (!target || /[$`]/.test(target)) continue;
            const path = joinPath(cwd, target);
            if (path && NOT_STORED.test(path)) continue;
            downloads.push({ path, name: target.split('/').pop()!, range: url.word.range, at: cmd.range.start.offset });
          }
        }
        if (downloads.length === 0) return;
        let removals = removalsByStage.get(script.stage);
        if (!removals) {
          removals = stageRemovals(scriptsOfStage(scripts, script.stage), (s) => resolverFor(ctx, s));
          removalsByStage.set(script.stage, removals);
        }
        for (const d of downloads) {
          if (removals.removesLater(d)) continue;
          ctx.report({ messageId: 'downloadedNeverDeletedStays', data: { name: d.name, where: d.path ? ` to ${d.path}` : '' }, range: d.range });
        }
      },
    };
  },
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
      "Downloads into `/tmp` are not reported: the host's `/tmp` is mounted there and nothing is kept.",
      'URLs, paths and `cd` targets built from variables assigned earlier in the script or from `{{ }}`',
      'build arguments with a default are resolved (`VER=1.2; wget .../tool-$VER.tar.gz; rm tool-$VER.tar.gz`).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    cd /opt\n    wget -q https://example.org/tool-1.0.tar.gz\n    tar -xzf tool-1.0.tar.gz\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    cd /opt\n    wget -q https://example.org/tool-1.0.tar.gz\n    tar -xzf tool-1.0.tar.gz\n    rm -f tool-1.0.tar.gz\n',
    source: 'size practice',
    needsShell: true,
    messages: {
      downloadedNeverDeletedStays: '{{ name }} is downloaded{{ where }} and never deleted: it stays in the image.',
    },
  },
});

/** The working directory after a top-level `cd` (undefined while unknown). */
function cdTarget(cmd: ShellCommand, cwd: string | undefined, resolve: Resolver): string | undefined {
  const target = cmd.args[0];
  const text = target ? resolvedText(target, resolve) : undefined;
  return text !== undefined && !/[*?[]/.test(text) ? joinPath(cwd, text) : undefined;
}

/** Every `rm` target of the scripts, resolved against the tracked working directory. */
function stageRemovals(scripts: ShellScript[], resolverOf: (script: ShellScript) => Resolver): RemovalIndex {
  const removals = new RemovalIndex();
  let rmCwd: string | undefined;
  for (const script of scripts) {
    const resolve = resolverOf(script);
    for (const cmd of script.commands) {
      if (cmd.baseName === 'cd' && !cmd.nested) rmCwd = cdTarget(cmd, rmCwd, resolve);
      for (const t of rmTargets(cmd)) {
        const text = /[$`]|\{\{/.test(t.raw) ? resolve(t.raw, t.range.start.offset) : t.text;
        if (text === undefined || /[$`]/.test(text)) continue;
        const full = joinPath(rmCwd, text)?.replace(/\/+$/, '');
        // A bare name (`rm tool.tar.gz`) is matched by name; `/var/lib/apt/lists/*` only by path; a
        // relative path (`rm ../tool.tar.gz`) by path where the directory is known, else by its name.
        const relative = !text.startsWith('/');
        const name = !text.includes('/') ? text : relative && !full ? text.split('/').pop() || undefined : undefined;
        removals.add({ full: full || undefined, name, at: cmd.range.start.offset });
      }
    }
  }
  return removals;
}
