// Def-file idioms ShellCheck misjudges (issue 13). ShellCheck sees one section as a stand-alone
// script; these findings are right for scripts in general and wrong for what def files do:
//  - SC2086 on the value of `export X=$Y:$X` (and declare/local/readonly): an assignment does not
//    split words in bash, and `export PATH=/opt/x/bin:$PATH` is how every def file sets paths;
//  - SC2016 on `$` in single quotes written to a file with echo/printf or edited in with sed: the
//    text is for later expansion (a Makefile, `$APPTAINER_ENVIRONMENT`, a config file);
//  - SC2046 on `$(nproc)` and `$(getconf _NPROCESSORS_ONLN)`: one number, nothing to split;
//  - SC2086 on `>> $APPTAINER_ENVIRONMENT` (and _ROOTFS, _LABELS): paths Apptainer sets, no spaces;
//  - SC2050/SC2194 on `[ "{{ X }}" = ON ]`: constant only until Apptainer fills the placeholder;
//  - SC3037 on `/bin/echo -e`: coreutils' echo has -e;
//  - SC2145 on `exec /opt/bin/"$@"`: the first argument names the program;
//  - SC2154 on variables Apptainer sets at run time (`SCIF_APPENV_*`, `APPTAINER_*`, `SINGULARITY_*`).
import type { ParsedFile } from '../parse/model.js';
import type { Finding, ShellCommand, ShellScript } from './types.js';

const DECLARATIONS = new Set(['export', 'declare', 'local', 'readonly', 'typeset']);
const CPU_COUNT = /^(\$\(|`)\s*(nproc(\s+--all)?|getconf\s+_?NPROCESSORS_ONLN)\s*(\)|`)$/;
const BUILD_PATH_VARIABLE =
  /^\$\{?((APPTAINER|SINGULARITY)_(ENVIRONMENT|ROOTFS|LABELS)|SCIF_APP(ROOT|BIN|LIB|DATA|META|ENV|RUN|TEST|HELP|LABELS|INPUT|OUTPUT))\}?$/;
const RUNTIME_VARIABLE = /^(SCIF_\w+|APPTAINER_\w+|SINGULARITY_\w+)$/;

/** The text of the line holding the offset. */
function lineOf(file: ParsedFile, offset: number): string {
  const start = file.text.lastIndexOf('\n', offset - 1) + 1;
  const end = file.text.indexOf('\n', offset);
  return file.text.slice(start, end === -1 ? file.text.length : end);
}

/** The innermost command whose range holds the offset. */
function commandAt(script: ShellScript, offset: number): ShellCommand | undefined {
  let found: ShellCommand | undefined;
  for (const cmd of script.commands) {
    if (cmd.range.start.offset > offset || offset >= cmd.range.end.offset) continue;
    if (!found || cmd.range.end.offset - cmd.range.start.offset < found.range.end.offset - found.range.start.offset) found = cmd;
  }
  return found;
}

function writesToFile(cmd: ShellCommand): boolean {
  if (cmd.redirects.some((r) => /^\d?>>?$|^&>>?$|^>\|$/.test(r.op))) return true;
  const pipeline = cmd.pipeline;
  return !!pipeline && pipeline.commands.slice(pipeline.index + 1).some((c) => c.baseName === 'tee' || c.baseName === 'cat');
}

/** True when ShellCheck's finding is one of the def-file idioms above. */
export function isDefFileIdiom(finding: Finding, script: ShellScript, file: ParsedFile): boolean {
  const text = file.text.slice(finding.range.start.offset, finding.range.end.offset);
  switch (finding.ruleId) {
    case 'SC2154':
      return RUNTIME_VARIABLE.test(/^(\S+) is referenced but not assigned/.exec(finding.message)?.[1] ?? '');
    case 'SC2050':
    case 'SC2194':
      // `if [ "{{ WITH_X }}" = "ON" ]`: constant only until Apptainer fills the placeholder.
      return lineOf(file, finding.range.start.offset).includes('{{');
    case 'SC3037': {
      // `/bin/echo -e`: an explicit /bin/echo is coreutils' echo, which has -e and -n.
      const cmd = commandAt(script, finding.range.start.offset);
      return !!cmd && /^\/(usr\/)?bin\/echo$/.test(cmd.name);
    }
    case 'SC2145':
      // `exec /opt/tool/bin/"$@"`: run the program named by the first argument, the rest as its arguments.
      return /^\/"\$(@|\{@\})"$/.test(file.text.slice(finding.range.start.offset - 2, finding.range.end.offset + 1));
    case 'SC2046':
      return CPU_COUNT.test(text.trim());
    case 'SC2086': {
      // `>> $APPTAINER_ENVIRONMENT`: paths Apptainer sets for the build, never with spaces.
      if (BUILD_PATH_VARIABLE.test(text)) return true;
      const cmd = commandAt(script, finding.range.start.offset);
      if (!cmd || !DECLARATIONS.has(cmd.baseName)) return false;
      const word = cmd.args.find((a) => a.range.start.offset <= finding.range.start.offset && finding.range.end.offset <= a.range.end.offset);
      return !!word && /^[A-Za-z_]\w*\+?=/.test(word.raw);
    }
    case 'SC2016': {
      const cmd = commandAt(script, finding.range.start.offset);
      if (!cmd) return false;
      if (cmd.baseName === 'sed' || cmd.baseName === 'perl') return true;
      return (cmd.baseName === 'echo' || cmd.baseName === 'printf') && writesToFile(cmd);
    }
    default:
      return false;
  }
}
