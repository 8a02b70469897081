// DEF406: source code fetched from a moving reference.
import { isCurlOrWget, isEnvironmentSection, isGitClone, optionValue, positionalArgs, urlArgs } from '../../shell/index.js';
import type { ShellCommand, ShellScript } from '../../types.js';
import { defineRule } from '../../define-rule.js';

const MOVING_URL =
  /\/latest\/|\/(master|main|HEAD|trunk|develop)\.(zip|tar\.gz|tgz|tar\.bz2|tar\.xz)$|\/archive\/refs\/heads\/|raw\.githubusercontent\.com\/[^/]+\/[^/]+\/(master|main|HEAD)\/|\/-\/raw\/(master|main)\/|\/(blob|raw)\/(master|main)\//;
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

/** True when the section later checks out a fixed revision (`git checkout v1.2`, `git reset --hard <sha>`, `git -C dir checkout`). */
function checksOutLater(script: ShellScript, clone: ShellCommand): boolean {
  return script.commands.some((c) => {
    if (c.baseName !== 'git' || c.range.start.offset <= clone.range.start.offset) return false;
    const words = positionalArgs(c.args, ['-C', '-c', '--git-dir', '--work-tree']).map((w) => w.text);
    const verb = words[0];
    if (verb === 'checkout' || verb === 'switch' || verb === 'reset') return words.slice(1).some((w) => !MOVING_BRANCH.has(w));
    return false;
  });
}

export const sourceFetchUnpinned = defineRule({
  meta: {
    id: 'DEF406',
    slug: 'source-fetch-unpinned',
    group: 'reproducibility',
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
      gitCloneTakesToday: '`git clone`{{ value }} takes the {{ value2 }} as it is today. Clone a tag (--branch v1.2.3) or check out a commit.',
      pointsMovingTargetLatest: '{{ url }} points to a moving target (latest release or a branch). Download a versioned archive.',
    },
  },
  create(ctx) {
    return {
      command(cmd, script) {
        if (isEnvironmentSection(script.section)) return;
        if (isGitClone(cmd)) {
          const branch = optionValue(cmd, '--branch') ?? optionValue(cmd, '-b');
          if (branch && !MOVING_BRANCH.has(branch)) return;
          if (checksOutLater(script, cmd)) return;
          const url = positionalArgs(cmd.args, CLONE_OPTIONS_WITH_VALUE)[1];
          ctx.report({
            messageId: 'gitCloneTakesToday',
            data: { value: url ? ` of ${url.text}` : '', value2: branch ? `\`${branch}\` branch` : 'default branch' },
            range: cmd.range,
          });
        } else if (isCurlOrWget(cmd)) {
          for (const url of urlArgs(cmd)) {
            if (!MOVING_URL.test(url.text)) continue;
            ctx.report({ messageId: 'pointsMovingTargetLatest', data: { url: url.text }, range: url.range });
          }
        }
      },
    };
  },
});
