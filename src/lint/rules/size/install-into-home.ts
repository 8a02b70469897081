// DEF604 install-into-home: Software installed into `$HOME`, `~`, `/root` or `/home/...`.
import { hasAnyFlag, isBuildSection, isPipInstall, pipArgs, shellDetails } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';
import { environmentDestinations, installDestinations, unquote, HOME } from '../../vocab/size-install-locations.js';

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
      'there (`pip install --user`, a Miniconda installer without `-p`, `--prefix=$HOME/...`, a conda',
      'environment or virtual environment under `~`, `MAMBA_ROOT_PREFIX=/root/...`, `uv tool install` or',
      '`pipx install` into `~/.local`) is missing or unreadable. Install under `/opt` or `/usr/local`',
      '(`UV_TOOL_DIR=/opt/uv-tools UV_TOOL_BIN_DIR=/usr/local/bin`, `pipx install --global`).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    pip install --no-cache-dir --user numpy==1.26.4\n',
    good: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    pip install --no-cache-dir numpy==1.26.4\n',
    source:
      'AP-BP #1; AP-BIND; AP-BUILD (`MountHome=false` at build); uv tools: https://docs.astral.sh/uv/concepts/tools/ (`UV_TOOL_DIR`, `UV_TOOL_BIN_DIR`); pipx: https://pipx.pypa.io/stable/installation/ (`PIPX_HOME`, `--global`)',
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
    // Where the current script exports a tool directory (UV_TOOL_DIR, PIPX_HOME), if it does.
    let toolDirAt = Infinity;
    return {
      script(script) {
        toolDirAt = Infinity;
        if (!isBuildSection(script.section)) return;
        for (const a of shellDetails(script).assignments) {
          if (a.exported && TOOL_DIRS.has(a.name)) toolDirAt = Math.min(toolDirAt, a.range.start.offset);
          if (a.name === 'MAMBA_ROOT_PREFIX' && HOME.test(unquote(a.value))) {
            ctx.report({ messageId: 'installsIntoHomeDirectory', data: { what: 'MAMBA_ROOT_PREFIX', path: unquote(a.value) }, range: a.range });
          }
        }
      },
      command(cmd, script) {
        if (!isBuildSection(script.section)) return;
        for (const d of environmentDestinations(cmd)) {
          if (!HOME.test(d.path) || (d.path === '~/.local' && toolDirAt < cmd.range.start.offset)) continue;
          ctx.report({ messageId: 'installsIntoHomeDirectory', data: { what: d.what, path: d.path }, range: d.range });
        }
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

/** Variables that move `uv tool install` / `pipx install` out of `~/.local`. */
const TOOL_DIRS = new Set(['UV_TOOL_DIR', 'PIPX_HOME']);
