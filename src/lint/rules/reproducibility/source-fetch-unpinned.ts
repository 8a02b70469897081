// DEF406: source code fetched from a moving reference.
import { isCurlOrWget, isEnvironmentSection, isGitClone, isPipInstall, optionValue, pipArgs, positionalArgs, urlArgs } from '../../shell/index.js';
import type { ShellCommand, ShellScript } from '../../types.js';
import { defineRule } from '../../define-rule.js';

export const sourceFetchUnpinned = defineRule({
  create: (ctx) => ({
    command(cmd, script) {
      if (isEnvironmentSection(script.section)) return;
      if (isGitClone(cmd)) {
        const branch = optionValue(cmd, '--branch') ?? optionValue(cmd, '-b');
        if (branch && !MOVING_BRANCH.has(branch)) return;
        if (checksOutLater(script, cmd)) return;
        const url = positionalArgs(cmd.args, CLONE_OPTIONS_WITH_VALUE)[1];
        ctx.report({
          messageId: 'gitCloneTakesToday',
          data: { ofUrl: url ? ` of ${url.text}` : '', branch: branch ? `\`${branch}\` branch` : 'default branch' },
          range: cmd.range,
        });
      } else if (isPipInstall(cmd)) {
        // `pip install git+https://host/org/repo.git` without `@tag`/`@sha` installs the default branch.
        for (const arg of pipArgs(cmd) ?? []) {
          const ref = /^(?:[\w.-]+\s*@\s*)?git\+\w+:\/\/[^@#\s]+?(?:\.git)?(@[^#\s]+)?(#.*)?$/.exec(arg.text);
          if (!ref || (ref[1] && !MOVING_BRANCH.has(ref[1].slice(1)))) continue;
          ctx.report({ messageId: 'pipGitUnpinned', data: { arg: arg.text }, range: arg.range });
        }
      } else if (isCurlOrWget(cmd)) {
        for (const url of urlArgs(cmd)) {
          if (!MOVING_URL.test(url.text)) continue;
          ctx.report({ messageId: 'pointsMovingTargetLatest', data: { url: url.text }, range: url.range });
        }
      }
    },
  }),
  meta: {
    id: 'DEF406',
    slug: 'source-fetch-unpinned',
    group: 'reproducibility',
    scope: 'section',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`git clone` without a tag or commit, or downloads of `latest`/`master` archives.',
    description: [
      'A clone of the default branch, or a download of `.../latest/...` or `master.zip`, builds',
      'whatever the project pushed last. Clone a tag (`git clone --branch v1.2.3 --depth 1 ...`) or check',
      'out a commit after cloning, and download versioned release archives.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    git clone https://github.com/example/tool.git /opt/tool\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    git clone --branch v1.4.2 --depth 1 https://github.com/example/tool.git /opt/tool\n',
    source: 'HL DL3006 generalised; AP-MPI examples pin versions',
    needsShell: true,
    messages: {
      pipGitUnpinned: '`pip install {{ arg }}` installs the default branch as it is today. Add @<tag> or @<commit>.',
      gitCloneTakesToday: '`git clone`{{ ofUrl }} takes the {{ branch }} as it is today. Clone a tag (--branch v1.2.3) or check out a commit.',
      pointsMovingTargetLatest: '{{ url }} points to a moving target (latest release or a branch). Download a versioned archive.',
    },
  },
});

const MOVING_URL =
  /\/latest\/|[-_.]latest\.(tar\.gz|tgz|tar\.bz2|tar\.xz|zip|sh|run|deb|rpm|AppImage|jar|whl)$|\/(master|main|HEAD|trunk|develop)\.(zip|tar\.gz|tgz|tar\.bz2|tar\.xz)$|\/archive\/refs\/heads\/|raw\.githubusercontent\.com\/[^/]+\/[^/]+\/(master|main|HEAD)\/|\/-\/raw\/(master|main)\/|\/(blob|raw)\/(master|main)\//;
const MOVING_BRANCH = new Set(['master', 'main', 'develop', 'dev', 'trunk', 'HEAD', 'nightly']);
const CLONE_OPTIONS_WITH_VALUE = [
  '-b',
  '--branch',
  '--depth',
  '-o',
  '--origin',
  '-c',
  '--config',
  '--reference',
  '-j',
  '--jobs',
  '--filter',
  '--shallow-since',
  '-u',
  '--upload-pack',
  '--separate-git-dir',
  '--template',
];

const lastSegment = (path: string) => path.replace(/\/+$/, '').split('/').pop() ?? '';

/** The directory a clone lands in: its second operand, else the URL's last segment without `.git`. */
function cloneDirectory(clone: ShellCommand): string | undefined {
  const [url, dir] = positionalArgs(clone.args, CLONE_OPTIONS_WITH_VALUE).slice(1);
  if (dir) return lastSegment(dir.text);
  return url ? lastSegment(url.text).replace(/\.git$/, '') : undefined;
}

/**
 * True when the section later checks out a fixed revision of *this* clone (`git -C tool checkout
 * v1.2`, or `cd tool` then `git checkout <sha>` / `git reset --hard <sha>`), before another clone
 * takes over; a checkout of one clone no longer pins every other clone (issue 13).
 */
function checksOutLater(script: ShellScript, clone: ShellCommand): boolean {
  const dir = cloneDirectory(clone);
  // `git clone URL .` clones into the working directory; a name built from variables cannot be
  // followed, so any checkout before the next clone counts for it.
  const dynamic = dir === undefined || dir.includes('$');
  let inClone = dir === '.' || dynamic;
  for (const c of script.commands) {
    if (c.range.start.offset <= clone.range.start.offset) continue;
    // A `cd $VAR` may well go into the clone: trusted.
    if (c.baseName === 'cd' && !c.nested && !dynamic) inClone = !!dir && !!c.args[0] && (c.args[0].text.includes('$') || lastSegment(c.args[0].text) === dir);
    if (c.baseName !== 'git') continue;
    const where = optionValue(c, '-C');
    const words = positionalArgs(c.args, ['-C', '-c', '--git-dir', '--work-tree']).map((w) => w.text);
    const verb = words[0];
    if (verb === 'clone' && c !== clone && !where && !inClone) return false;
    const here = where !== undefined ? dynamic || lastSegment(where) === dir : inClone;
    if (here && (verb === 'checkout' || verb === 'switch' || verb === 'reset') && words.slice(1).some((w) => !w.startsWith('-') && !MOVING_BRANCH.has(w)))
      return true;
  }
  return false;
}
