// DEF604, DEF605: installing into directories that are hidden or not stored at run time.
import { hasAnyFlag, isBuildSection, isCMake, isConfigureScript, isMake, isPipInstall, pipArgs } from '../../shell/index.js';
import type { Range } from '../../../parse/model.js';
import type { RuleContext, ShellCommand, ShellWord } from '../../types.js';
import { defineRule } from '../../define-rule.js';

interface Destination {
  /** What kind of destination, for messages (`--prefix`, `CMAKE_INSTALL_PREFIX`...). */
  what: string;
  /** Path with quotes removed (variables left as written). */
  path: string;
  range: Range;
}

const CONDA_INSTALLER = /^(Miniconda|Miniforge|Mambaforge|Anaconda|Micromamba)[\w.-]*\.sh$/i;

function unquote(raw: string): string {
  return raw.replace(/["']/g, '');
}

/** Install destinations a command names: `--prefix`, `-DCMAKE_INSTALL_PREFIX=`, `PREFIX=`, pip `--target`, conda installer `-p`. */
export function installDestinations(cmd: ShellCommand): Destination[] {
  const found: Destination[] = [];
  const valueOf = (args: ShellWord[], names: string[], what: string) => {
    args.forEach((arg, i) => {
      const raw = unquote(arg.raw);
      for (const name of names) {
        if (raw.startsWith(`${name}=`)) found.push({ what, path: raw.slice(name.length + 1), range: arg.range });
        else if (raw === name && args[i + 1]) found.push({ what, path: unquote(args[i + 1].raw), range: args[i + 1].range });
      }
    });
  };
  if (isConfigureScript(cmd)) valueOf(cmd.args, ['--prefix'], '--prefix');
  if (isCMake(cmd)) {
    for (const arg of cmd.args) {
      const m = /^-DCMAKE_INSTALL_PREFIX(?::\w+)?=(.*)$/.exec(unquote(arg.raw));
      if (m) found.push({ what: 'CMAKE_INSTALL_PREFIX', path: m[1], range: arg.range });
    }
    valueOf(cmd.args, ['--install-prefix'], '--install-prefix');
  }
  if (isMake(cmd)) valueOf(cmd.args, ['PREFIX', 'prefix'], 'PREFIX');
  if (isPipInstall(cmd)) valueOf(pipArgs(cmd)!, ['--target', '-t', '--prefix', '--root'], 'pip install target');
  if (cmd.baseName === 'npm') valueOf(cmd.args, ['--prefix'], 'npm --prefix');
  const installer = CONDA_INSTALLER.test(cmd.baseName) ? cmd.args : CONDA_INSTALLER.test(cmd.args[0]?.text.split('/').pop() ?? '') && ['sh', 'bash'].includes(cmd.baseName) ? cmd.args.slice(1) : undefined;
  if (installer) {
    const before = found.length;
    valueOf(installer, ['-p'], 'conda installer -p');
    if (found.length === before) found.push({ what: 'conda installer default (~/miniconda3)', path: '~/miniconda3', range: cmd.range });
  }
  return found;
}

const HOME = /^(~|\$HOME|\$\{HOME\}|\/root|\/home\/)(\/|$)|^\/home\//;

export const installIntoHome = defineRule({
  meta: {
    id: 'DEF604',
    slug: 'install-into-home',
    group: 'size',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Software installed into `$HOME`, `~`, `/root` or `/home/...`.',
    description: [
      'During the build `$HOME` is the image\'s `/root`. At run time Apptainer mounts the user\'s own',
      'home directory over `$HOME`, and non-root users cannot read `/root`, so software installed',
      'there (`pip install --user`, a Miniconda installer without `-p`, `--prefix=$HOME/...`) is',
      'missing or unreadable. Install under `/opt` or `/usr/local`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    pip install --no-cache-dir --user numpy==1.26.4\n',
    good: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    pip install --no-cache-dir numpy==1.26.4\n',
    source: 'AP-BP #1; AP-BIND; AP-BUILD (`MountHome=false` at build)',
    needsShell: true,
    fixKind: 'suggestion',
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      if (!isBuildSection(script.section)) continue;
      for (const cmd of script.commands) {
        if (isPipInstall(cmd) && hasAnyFlag(pipArgs(cmd)!, 'user')) {
          const flag = pipArgs(cmd)!.find((a) => a.text === '--user')!;
          ctx.report({
            message: '`pip install --user` installs into /root/.local, which is hidden by the user\'s home at run time. Install system-wide or into a venv under /opt.',
            range: flag.range,
            suggestions: [{ description: 'Remove --user', edits: [{ start: flag.range.start.offset - 1, end: flag.range.end.offset, text: '' }] }],
          });
        }
        for (const d of installDestinations(cmd)) {
          if (!HOME.test(d.path)) continue;
          ctx.report({ message: `${d.what} installs into ${d.path}: the home directory is replaced by the user's own at run time. Install under /opt or /usr/local.`, range: d.range });
        }
      }
    }
  },
});

const BOUND_BY_DEFAULT = ['/tmp', '/var/tmp', '/mnt', '/srv'];

export const installIntoBoundDir = defineRule({
  meta: {
    id: 'DEF605',
    slug: 'install-into-bound-dir',
    group: 'size',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Software installed into `/tmp`, `/var/tmp`, `/mnt`, `/srv` or a site-bound directory.',
    description: [
      'The host\'s `/tmp` and `/var/tmp` are mounted over the image during the build, so anything',
      'installed there is never stored; `/mnt`, `/srv` and site directories (option `boundDirs`,',
      'default `/scratch`, `/lscratch`) are commonly bind-mounted at run time and hide what the',
      'image has there. Install under `/opt` or `/usr/local`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    cd /opt/src/tool-1.0\n    ./configure --prefix=/tmp/tool\n    make install\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    cd /opt/src/tool-1.0\n    ./configure --prefix=/opt/tool\n    make install\n',
    source: 'AP-BP #1; apptainer/singularity#5514; apptainer/apptainer#490',
    needsShell: true,
    optionsSchema: { type: 'object', properties: { boundDirs: { type: 'array', items: { type: 'string' } } }, additionalProperties: false },
  },
  check(ctx: RuleContext) {
    const site = Array.isArray(ctx.options.boundDirs) ? (ctx.options.boundDirs as string[]) : ['/scratch', '/lscratch'];
    const bound = [...BOUND_BY_DEFAULT, ...site].map((d) => d.replace(/\/+$/, ''));
    for (const script of ctx.scripts) {
      if (!isBuildSection(script.section)) continue;
      for (const cmd of script.commands) {
        for (const d of installDestinations(cmd)) {
          const dir = bound.find((b) => d.path === b || d.path.startsWith(`${b}/`));
          if (!dir) continue;
          const why = dir === '/tmp' || dir === '/var/tmp' ? 'is the host\'s directory during the build, so nothing installed there is kept' : 'is commonly bind-mounted at run time, hiding what the image has there';
          ctx.report({ message: `${d.what} installs into ${d.path}: ${dir} ${why}. Install under /opt or /usr/local.`, range: d.range });
        }
      }
    }
  },
});
