// DEF404, DEF405, DEF407: package installs that depend on the build date.
import {
  hasAnyFlag, isAptGet, isApk, isDnf, isEnvironmentSection, isYum, isZypper, optionValue, packageManager, packagesInstalled,
  positionalArgs, subcommand,
} from '../../shell/index.js';
import type { RuleContext, ShellCommand, ShellWord } from '../../types.js';
import { spanOf } from '../shell/helpers.js';
import { defineRule } from '../../define-rule.js';

/** A package word that is really a file or URL (`./x.deb`, `https://...rpm`): pinned by nature. */
function isFileOrUrl(word: ShellWord): boolean {
  return /^(\.{0,2}\/|\.{1,2}$|~|https?:|ftp:|file:|git\+)/.test(word.text) || /\.(deb|rpm|apk|whl|tar\.gz|tgz|zip|tar\.bz2)$/.test(word.text);
}

function osPackagePinned(manager: string, word: ShellWord): boolean {
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

function report(ctx: RuleContext, cmd: ShellCommand, unpinned: ShellWord[], what: string, advice: string): void {
  if (unpinned.length === 0) return;
  const names = unpinned.slice(0, 4).map((w) => w.text).join(', ') + (unpinned.length > 4 ? `, ... (${unpinned.length} in all)` : '');
  ctx.report({ message: `${what} without a version: ${names}. ${advice}`, range: spanOf(unpinned[0], unpinned[unpinned.length - 1]) });
}

export const osPackagesUnpinned = defineRule({
  meta: {
    id: 'DEF404',
    slug: 'os-packages-unpinned',
    group: 'reproducibility',
    defaultSeverity: 'off',
    presets: [],
    summary: 'OS packages installed without versions (opt-in).',
    description: [
      '`apt-get install curl` installs whatever version the mirror has that day. Pinning',
      '(`curl=7.81.0-1ubuntu1.16`, `dnf install curl-7.76.1`, `apk add curl=8.5.0-r0`) makes builds',
      'repeatable, but pins break as soon as the mirror drops the old version, which is why this rule',
      'is off by default (it is the most-suppressed rule family of Dockerfile linters).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get install -y curl\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get install -y curl=7.81.0-1ubuntu1.16\n',
    source: 'HL DL3008/3018/3033/3037/3041; hadolint#19, #177, #345, #928; jupyter/docker-stacks#1100',
    needsShell: true,
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      for (const cmd of script.commands) {
        const manager = packageManager(cmd);
        if (!manager || !['apt', 'yum', 'dnf', 'zypper', 'apk'].includes(manager)) continue;
        const unpinned = packagesInstalled(cmd).filter((w) => w.isStatic && !isFileOrUrl(w) && !osPackagePinned(manager, w) && !w.text.startsWith('@'));
        report(ctx, cmd, unpinned, `\`${cmd.baseName} ${subcommand(cmd)?.text}\` installs packages`, 'Pin versions if builds must be repeatable.');
      }
    }
  },
});

/** Packaging tools themselves are commonly upgraded unpinned; flagging them is noise. */
const PIP_TOOLING = new Set(['pip', 'setuptools', 'wheel']);

function pipPinned(word: ShellWord): boolean {
  return /(==|===|~=|<|@)/.test(word.text) || isFileOrUrl(word);
}

function unpinnedLanguagePackages(cmd: ShellCommand): { what: string; words: ShellWord[] } | undefined {
  const manager = packageManager(cmd);
  const packages = packagesInstalled(cmd).filter((w) => w.isStatic);
  switch (manager) {
    case 'pip':
      return { what: '`pip install` installs', words: packages.filter((w) => !pipPinned(w) && !PIP_TOOLING.has(w.text.toLowerCase().replace(/\[.*\]$/, ''))) };
    case 'conda': {
      if (hasAnyFlag(cmd, '--file')) return undefined;
      return { what: `\`${cmd.baseName} ${subcommand(cmd)?.text}\` installs`, words: packages.filter((w) => !/[=<@]/.test(w.text) && !isFileOrUrl(w) && w.text !== 'conda') };
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

export const langPackagesUnpinned = defineRule({
  meta: {
    id: 'DEF405',
    slug: 'lang-packages-unpinned',
    group: 'reproducibility',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`pip`/`conda`/`npm -g`/`gem`/`go`/`cargo`/R package installs without versions.',
    description: [
      'Language package indexes publish new releases daily, and an unpinned `pip install numpy` can',
      'pull a new major version with breaking changes. Pin versions (`numpy==1.26.4`,',
      '`conda install numpy=1.26`, `npm install -g pkg@1.2.3`, `go install mod@v1.2.3`), or install from',
      'a requirements/lock file (`pip install -r requirements.txt`), which is not reported.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    pip install --no-cache-dir numpy\n',
    good: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    pip install --no-cache-dir numpy==1.26.4\n',
    source: 'HL DL3013/3016/3028/3062',
    needsShell: true,
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      if (isEnvironmentSection(script.section)) continue;
      for (const cmd of script.commands) {
        const found = unpinnedLanguagePackages(cmd);
        if (found) report(ctx, cmd, found.words, found.what, 'Pin versions so rebuilds get the same code.');
      }
    }
  },
});

export const distroUpgrade = defineRule({
  meta: {
    id: 'DEF407',
    slug: 'distro-upgrade',
    group: 'reproducibility',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'Whole-system upgrades (`apt-get upgrade`, `dnf update`, `zypper dup`) make content depend on the build date.',
    description: [
      'Upgrading every package means the image content depends on when it was built, not on the',
      'definition file. Prefer a newer, pinned base image, and upgrade single packages by name when',
      'a fix is needed.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get -y upgrade\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    apt-get update\n    apt-get install -y --no-install-recommends --only-upgrade openssl\n',
    source: 'DFL apt-get-upgrade; HL DL3035',
    needsShell: true,
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      for (const cmd of script.commands) {
        const sub = subcommand(cmd);
        if (!sub) continue;
        const wholeSystem =
          isAptGet(cmd, 'upgrade', 'dist-upgrade', 'full-upgrade') ||
          ((isYum(cmd, 'update', 'upgrade', 'distro-sync') || isDnf(cmd, 'update', 'upgrade', 'distro-sync')) && positionalArgs(cmd.args, ['-c', '-x', '--exclude', '--setopt', '--enablerepo', '--disablerepo']).length === 1) ||
          (isZypper(cmd, 'dup', 'dist-upgrade', 'update', 'up') && positionalArgs(cmd.args, ['-r', '--repo']).length === 1) ||
          (isApk(cmd, 'upgrade') && positionalArgs(cmd.args).length === 1);
        if (!wholeSystem) continue;
        ctx.report({
          message: `\`${cmd.baseName} ${sub.text}\` upgrades every package: the image content depends on the build date.`,
          range: { start: cmd.nameRange.start, end: sub.range.end },
        });
      }
    }
  },
});
