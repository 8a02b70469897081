// DEF604 install-into-home: Software installed into `$HOME`, `~`, `/root` or `/home/...`.
import { hasAnyFlag, isBuildSection, isPipInstall, pipArgs } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';
import { installDestinations, HOME } from '../../vocab/size-install-locations.js';

export const installIntoHome = defineRule({
  meta: {
    id: 'DEF604',
    slug: 'install-into-home',
    group: 'size',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Software installed into `$HOME`, `~`, `/root` or `/home/...`.',
    description: [
      "During the build `$HOME` is the image's `/root`. At run time Apptainer mounts the user's own",
      'home directory over `$HOME`, and non-root users cannot read `/root`, so software installed',
      'there (`pip install --user`, a Miniconda installer without `-p`, `--prefix=$HOME/...`) is',
      'missing or unreadable. Install under `/opt` or `/usr/local`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    pip install --no-cache-dir --user numpy==1.26.4\n',
    good: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    pip install --no-cache-dir numpy==1.26.4\n',
    source: 'AP-BP #1; AP-BIND; AP-BUILD (`MountHome=false` at build)',
    needsShell: true,
    fixKind: 'suggestion',
    messages: {
      pipInstallUserInstalls:
        "`pip install --user` installs into /root/.local, which is hidden by the user's home at run time. Install system-wide or into a venv under /opt.",
      installsIntoHomeDirectory:
        "{{ what }} installs into {{ path }}: the home directory is replaced by the user's own at run time. Install under /opt or /usr/local.",
    },
  },
  create(ctx) {
    return {
      command(cmd, script) {
        if (!isBuildSection(script.section)) return;
        if (isPipInstall(cmd) && hasAnyFlag(pipArgs(cmd)!, 'user')) {
          const flag = pipArgs(cmd)!.find((a) => a.text === '--user')!;
          ctx.report({
            messageId: 'pipInstallUserInstalls',
            range: flag.range,
            suggestions: [{ description: 'Remove --user', edits: [{ start: flag.range.start.offset - 1, end: flag.range.end.offset, text: '' }] }],
          });
        }
        for (const d of installDestinations(cmd)) {
          if (!HOME.test(d.path)) continue;
          ctx.report({
            messageId: 'installsIntoHomeDirectory',
            data: { what: d.what, path: d.path },
            range: d.range,
          });
        }
      },
    };
  },
});
