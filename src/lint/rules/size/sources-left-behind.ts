// DEF607 sources-left-behind: Downloaded source archives are never deleted.
import type { Range, Stage } from '../../../parse/model.js';
import type { ShellScript } from '../../types.js';
import { scriptsOfStage } from '../../vocab/shell-tree.js';
import { isBuildSection, isCurlOrWget, rmTargets, urlArgs } from '../../shell/index.js';
import { isFinalStage } from '../../vocab/shell-commands.js';
import { defineRule } from '../../define-rule.js';
import { ARCHIVE, NOT_STORED, downloadTarget, joinPath, RemovalIndex } from '../../vocab/size-image-contents.js';

export const sourcesLeftBehind = defineRule({
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
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    cd /opt\n    wget -q https://example.org/tool-1.0.tar.gz\n    tar -xzf tool-1.0.tar.gz\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    cd /opt\n    wget -q https://example.org/tool-1.0.tar.gz\n    tar -xzf tool-1.0.tar.gz\n    rm -f tool-1.0.tar.gz\n',
    source: 'size practice',
    needsShell: true,
    messages: {
      downloadedNeverDeletedStays: '{{ name }} is downloaded{{ where }} and never deleted: it stays in the image.',
    },
  },
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
        if (downloads.length === 0) return;
        let removals = removalsByStage.get(script.stage);
        if (!removals) {
          removals = stageRemovals(scriptsOfStage(scripts, script.stage));
          removalsByStage.set(script.stage, removals);
        }
        for (const d of downloads) {
          if (removals.removesLater(d)) continue;
          ctx.report({ messageId: 'downloadedNeverDeletedStays', data: { name: d.name, where: d.path ? ` to ${d.path}` : '' }, range: d.range });
        }
      },
    };
  },
});

/** Every `rm` target of the scripts, resolved against the tracked working directory. */
function stageRemovals(scripts: ShellScript[]): RemovalIndex {
  const removals = new RemovalIndex();
  let rmCwd: string | undefined;
  for (const cmd of scripts.flatMap((s) => s.commands)) {
    if (cmd.baseName === 'cd' && !cmd.nested) {
      const target = cmd.args[0];
      rmCwd = target && target.isStatic ? joinPath(rmCwd, target.text) : undefined;
    }
    for (const t of rmTargets(cmd)) {
      if (/[$`]/.test(t.text)) continue;
      const full = joinPath(rmCwd, t.text)?.replace(/\/+$/, '');
      // A bare name (`rm tool.tar.gz`) is matched by name; `/var/lib/apt/lists/*` only by path; a
      // relative path (`rm ../tool.tar.gz`) by path where the directory is known, else by its name.
      const relative = !t.text.startsWith('/');
      const name = !t.text.includes('/') ? t.text : relative && !full ? t.text.split('/').pop() || undefined : undefined;
      removals.add({ full: full || undefined, name, at: cmd.range.start.offset });
    }
  }
  return removals;
}
