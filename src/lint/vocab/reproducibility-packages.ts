// Shared by the reproducibility rules (DEF404, DEF405, DEF407: package installs that depend on the build date).
import { hasAnyFlag, optionValue, packageManager, packagesInstalled, pipArgs, subcommand } from '../shell/index.js';
import type { OsPackageManager } from '../shell/index.js';
import type { RuleContext, ShellCommand, ShellWord } from '../types.js';
import { spanOf } from './shell-commands.js';

/** A package word that is really a file or URL (`./x.deb`, `https://...rpm`): pinned by nature. */
export function isFileOrUrl(word: ShellWord): boolean {
  return /^(\.{0,2}\/|\.{1,2}$|~|https?:|ftp:|file:|git\+)/.test(word.text) || /\.(deb|rpm|apk|whl|tar\.gz|tgz|zip|tar\.bz2)$/.test(word.text);
}

export function osPackagePinned(manager: OsPackageManager, word: ShellWord): boolean {
  const t = word.text;
  switch (manager) {
    case 'apt':
      return t.includes('=');
    case 'apk':
    case 'zypper':
      return /[=<>~]/.test(t);
    default: // yum/dnf: name-version, name-version-release
      return /-\d/.test(t) || /[=<>]/.test(t);
  }
}

/** Reports unpinned package words under `messageId`, whose message reads `{{ what }}` and `{{ names }}`. */
export function reportUnpinned(ctx: RuleContext, unpinned: ShellWord[], messageId: string, what: string): void {
  if (unpinned.length === 0) return;
  const names =
    unpinned
      .slice(0, 4)
      .map((w) => w.text)
      .join(', ') + (unpinned.length > 4 ? `, ... (${unpinned.length} in all)` : '');
  ctx.report({ messageId, data: { what, names }, range: spanOf(unpinned[0], unpinned[unpinned.length - 1]) });
}

/** Packaging tools themselves are commonly upgraded unpinned; flagging them is noise. */
export const PIP_TOOLING = new Set(['pip', 'setuptools', 'wheel']);

export function pipPinned(word: ShellWord): boolean {
  return /(==|===|~=|<|@)/.test(word.text) || isFileOrUrl(word);
}

export function unpinnedLanguagePackages(cmd: ShellCommand): { what: string; words: ShellWord[] } | undefined {
  const manager = packageManager(cmd);
  const packages = packagesInstalled(cmd).filter((w) => w.isStatic);
  switch (manager) {
    case 'pip':
      return { what: '`pip install` installs', words: packages.filter((w) => !pipPinned(w) && !PIP_TOOLING.has(w.text.toLowerCase().replace(/\[.*\]$/, ''))) };
    case 'conda': {
      if (hasAnyFlag(cmd, '--file')) return undefined;
      return {
        what: `\`${cmd.baseName} ${subcommand(cmd)?.text}\` installs`,
        words: packages.filter((w) => !/[=<@]/.test(w.text) && !isFileOrUrl(w) && w.text !== 'conda'),
      };
    }
    case 'npm': {
      if (!hasAnyFlag(cmd, 'g', 'global') && !(cmd.baseName === 'yarn' && cmd.args[0]?.text === 'global')) return undefined;
      return { what: '`npm install -g` installs', words: packages.filter((w) => !/@[^/]*\d|@[\^~]?\d/.test(w.text.replace(/^@/, '')) && !isFileOrUrl(w)) };
    }
    case 'gem':
      if (optionValue(cmd, '-v') ?? optionValue(cmd, '--version')) return undefined;
      return { what: '`gem install` installs', words: packages.filter((w) => !/:\d/.test(w.text)) };
    case 'cargo':
      if (optionValue(cmd, '--version') ?? optionValue(cmd, '--vers') ?? optionValue(cmd, '--tag') ?? optionValue(cmd, '--rev')) return undefined;
      return { what: '`cargo install` installs', words: packages.filter((w) => !/@\d/.test(w.text)) };
    case 'go':
      return { what: '`go install` installs', words: packages.filter((w) => !/@v?\d/.test(w.text) && !w.text.startsWith('./')) };
    case 'R': {
      // `Rscript -e "install.packages('x')"`: CRAN always serves the newest version.
      const word = cmd.args.find((a) => /install\.packages\(/.test(a.text));
      return word ? { what: '`install.packages()` installs', words: [word] } : undefined;
    }
    default:
      return undefined;
  }
}

/** A requirement with extras whose brackets the shell sees: `dask[complete]`, `.[dev]`, `pkg[a,b]==1.0`. */
const UNQUOTED_EXTRAS = /^[A-Za-z0-9_.~/-]+\[[A-Za-z0-9_.,-]+\]([=<>!~;@].*)?$/;

/**
 * Words of a Python install (`pip install`, `python -m pip install`, `uv pip install`, `uv add`,
 * `uv tool install`, `pipx install`) that carry extras in unquoted brackets, option values
 * (`-e .[dev]`) included.
 */
export function unquotedExtras(cmd: ShellCommand): ShellWord[] {
  const pip = pipArgs(cmd);
  let args: ShellWord[] | undefined;
  if (pip) {
    const at = pip.findIndex((a) => a.text === 'install');
    args = at >= 0 ? pip.slice(at + 1) : undefined;
  } else if (cmd.baseName === 'uv' && cmd.args[0]?.text === 'add') args = cmd.args.slice(1);
  else if ((cmd.baseName === 'uv' && cmd.args[0]?.text === 'tool') || cmd.baseName === 'pipx') {
    const at = cmd.args.findIndex((a) => a.text === 'install');
    args = at >= 0 ? cmd.args.slice(at + 1) : undefined;
  }
  return (args ?? []).filter((w) => !w.raw.includes('$') && UNQUOTED_EXTRAS.test(w.raw));
}
