// DEF220 build-home-on-run-time-path: `/root` (the build user's home) on the run-time PATH, LD_LIBRARY_PATH or PYTHONPATH.
import type { Stage } from '../../../parse/model.js';
import { isBuildSection, isEnvironmentSection, redirectTargets, shellDetails, type Heredoc } from '../../shell/index.js';
import type { ShellCommand, ShellScript } from '../../types.js';
import { defineRule } from '../../define-rule.js';
import { PerCommands } from '../../vocab/lint-memo.js';
import { isFinalStage } from '../../vocab/shell-commands.js';
import { scriptsOfStage } from '../../vocab/shell-tree.js';
import { homeMovedBefore, homeOpened } from '../../vocab/size-install-locations.js';
import { endOfLineIncludingNewline, rangeOf } from '../../vocab/text.js';

export const buildHomeOnRunTimePath = defineRule({
  create(ctx) {
    const opened = new Map<Stage, boolean>();
    const inScope = (script: ShellScript) => {
      if (!isFinalStage(ctx.file, script.stage)) return false;
      if (!opened.has(script.stage)) opened.set(script.stage, homeOpened(scriptsOfStage(ctx.scripts, script.stage).filter((s) => isBuildSection(s.section))));
      return !opened.get(script.stage);
    };
    return {
      script(script) {
        if (isEnvironmentSection(script.section)) {
          if (!inScope(script)) return;
          for (const a of shellDetails(script).assignments) {
            const entry = SEARCH_PATHS.has(a.name) ? homeEntries(a.value)[0] : undefined;
            if (entry) ctx.report({ messageId: 'onRunTimePath', data: { variable: a.name, path: entry.path }, range: a.range });
          }
          return;
        }
        if (!isBuildSection(script.section) || !inScope(script)) return;
        for (const heredoc of shellDetails(script).heredocs) {
          if (heredoc.command && writesEnvironment(heredoc.command)) reportHeredoc(heredoc, script);
        }
        for (const cmd of textWritersIn.of(script.commands)) reportWriter(cmd, script);
      },
    };

    /** `echo`/`printf` into the environment file: one finding per word that puts the home on a path. */
    function reportWriter(cmd: ShellCommand, script: ShellScript) {
      const writer = (cmd.pipeline?.commands ?? [cmd]).find(writesEnvironment);
      if (!writer || (writer !== cmd && (cmd.pipeline?.index ?? 0) > (writer.pipeline?.index ?? 0))) return;
      const homeMoved = homeMovedBefore(script, cmd.range.start.offset);
      for (const word of cmd.args) {
        const entry = assignedEntries(expandWhileBuilding(word.raw, homeMoved, true))[0];
        if (entry)
          ctx.report({
            messageId: entry.fromHome ? 'homeExpandsWhileBuilding' : 'writtenToRunTimePath',
            data: { variable: entry.variable, path: entry.path },
            range: word.range,
          });
      }
    }

    /** A heredoc into the environment file: one finding per line that puts the home on a path. */
    function reportHeredoc(heredoc: Heredoc, script: ShellScript) {
      const homeMoved = homeMovedBefore(script, heredoc.range.start.offset);
      let lineStart = endOfLineIncludingNewline(ctx.file.text, heredoc.range.start.offset);
      for (const line of heredoc.content.split('\n')) {
        const entry = assignedEntries(heredoc.quoted ? line : expandWhileBuilding(line, homeMoved, false))[0];
        if (entry) {
          const at = ctx.file.text.indexOf(line.trim(), lineStart);
          const range = at === -1 ? heredoc.range : rangeOf(ctx.file, at, at + line.trim().length);
          ctx.report({
            messageId: entry.fromHome ? 'homeExpandsWhileBuilding' : 'writtenToRunTimePath',
            data: { variable: entry.variable, path: entry.path },
            range,
          });
        }
        lineStart = endOfLineIncludingNewline(ctx.file.text, lineStart);
      }
    }
  },
  meta: {
    id: 'DEF220',
    slug: 'build-home-on-run-time-path',
    group: 'sections',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: "`/root` (the build user's home) on the run-time PATH, LD_LIBRARY_PATH or PYTHONPATH.",
    description: [
      '`%environment` (and what `%post` writes to `$APPTAINER_ENVIRONMENT`) is read when the container',
      'runs, as the user who runs it. That user is not root: `/root` is mode 700 in the image and cannot',
      "be read; run as root, the host's `/root` is mounted over it. A directory under `/root` on `PATH`,",
      '`LD_LIBRARY_PATH`, `PYTHONPATH` (or `PERL5LIB`, `R_LIBS*`, `NODE_PATH`, `CLASSPATH`) finds nothing,',
      'and what the build installed there (`~/.local/bin` of the uv installer or `pip install --user`,',
      '`~/miniconda3/bin`, `~/.cargo/bin`) is missing at run time. The same holds for `$HOME` when `%post`',
      'writes it unescaped into `$APPTAINER_ENVIRONMENT`: it expands while building, to `/root`.',
      '',
      'Install under `/opt` or `/usr/local` and put that directory on the path. `$HOME` or `~` written in',
      "`%environment` itself is the run-time user's own home and is not reported, nor is a `/root` that",
      '`%post` makes readable (`chmod 755 /root`), nor the environment of a build stage that is not the last.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    curl -LsSf https://astral.sh/uv/install.sh | sh\n\n%environment\n    export PATH="/root/.local/bin:$PATH"\n',
    good: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    curl -LsSf https://astral.sh/uv/install.sh | env UV_INSTALL_DIR=/usr/local/bin sh\n\n%environment\n    export PATH="/usr/local/bin:$PATH"\n',
    source:
      "AP-BIND (the calling user's home is mounted; root's is the host's /root); AP-DEF (`%environment` and `$APPTAINER_ENVIRONMENT` are sourced at run time); AP-BUILD",
    needsShell: true,
    messages: {
      onRunTimePath:
        "{{ variable }} gets {{ path }}, in the build user's home, which the run-time user cannot read. Install under /opt or /usr/local and put that directory on {{ variable }}.",
      writtenToRunTimePath:
        "The run-time {{ variable }} written here gets {{ path }}, in the build user's home, which the run-time user cannot read. Install under /opt or /usr/local and put that directory on {{ variable }}.",
      homeExpandsWhileBuilding:
        "The run-time {{ variable }} written here gets {{ path }}: `$HOME` expands while the image is built, to /root, which the run-time user cannot read. Escape it (`\\$HOME`) if the user's own home is meant; otherwise install under /opt or /usr/local.",
    },
  },
});

/** A script's `echo` and `printf` commands (kept per commands array). */
const textWritersIn = new PerCommands((commands) => commands.filter((cmd) => TEXT_WRITERS.has(cmd.baseName)));

/** Run-time search paths where a directory the user cannot read breaks programs. */
const SEARCH_PATHS: ReadonlySet<string> = new Set([
  'PATH',
  'LD_LIBRARY_PATH',
  'PYTHONPATH',
  'PERL5LIB',
  'R_LIBS',
  'R_LIBS_SITE',
  'R_LIBS_USER',
  'NODE_PATH',
  'CLASSPATH',
]);

/** Commands whose arguments are the text they write (`echo 'export PATH=...' >> $APPTAINER_ENVIRONMENT`). */
const TEXT_WRITERS: ReadonlySet<string> = new Set(['echo', 'printf']);

/** Stands for a `$HOME` that expands while building. */
const BUILD_HOME = '\u0001';

/** True when the command writes to `$APPTAINER_ENVIRONMENT` / `$SINGULARITY_ENVIRONMENT` (redirect or `tee`). */
function writesEnvironment(cmd: ShellCommand): boolean {
  const targets = cmd.baseName === 'tee' ? cmd.args.map((a) => a.raw) : redirectTargets(cmd);
  return targets.some((t) => /(APPTAINER|SINGULARITY)_ENVIRONMENT\b/.test(t));
}

/**
 * The text the shell writes, as far as `$HOME` goes: quotes removed (when `quotes`), `\$HOME` and
 * single-quoted `$HOME` kept, any other `$HOME` / `${HOME}` replaced by BUILD_HOME (unless HOME
 * was set to something else: then it is not /root).
 */
function expandWhileBuilding(raw: string, homeMoved: boolean, quotes: boolean): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote === "'") {
      if (c === "'") quote = '';
      else out += c;
    } else if (c === '\\') {
      out += raw[i + 1] ?? '';
      i++;
    } else if (quotes && c === '"') {
      quote = quote === '"' ? '' : '"';
    } else if (quotes && c === "'" && quote === '') {
      quote = "'";
    } else {
      // Only a `$` can start `$HOME`: the other characters cost no copy of the rest of the text.
      const home = c === '$' ? /^\$(HOME\b|\{HOME\})/.exec(raw.slice(i)) : null;
      if (home) {
        out += homeMoved ? home[0] : BUILD_HOME;
        i += home[0].length - 1;
      } else {
        out += c;
      }
    }
  }
  return out;
}

/** Home directories assigned to a search path in shell text (`export PATH=/root/.local/bin:$PATH`). */
function assignedEntries(text: string): { variable: string; path: string; fromHome: boolean }[] {
  const found: { variable: string; path: string; fromHome: boolean }[] = [];
  for (const m of text.matchAll(/(?:^|[\s;'"])([A-Za-z_]\w*)=(\S*)/g)) {
    if (!SEARCH_PATHS.has(m[1])) continue;
    for (const entry of homeEntries(m[2])) found.push({ variable: m[1], ...entry });
  }
  return found;
}

/** The entries of a `:`-separated value that lie in the build user's home. */
function homeEntries(value: string): { path: string; fromHome: boolean }[] {
  const found: { path: string; fromHome: boolean }[] = [];
  for (const entry of value.replace(/["']/g, '').split(':')) {
    if (/^\/root(\/|$)/.test(entry)) found.push({ path: entry, fromHome: false });
    else if (entry.startsWith(BUILD_HOME)) found.push({ path: `$HOME${entry.slice(1)}`, fromHome: true });
  }
  return found;
}
