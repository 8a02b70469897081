// DEF302, DEF303, DEF315: `set -e` / `set -u` in build sections.
import { isBuildSection, isHostSection, runsAtBuild } from '../../shell/index.js';
import type { ShellScript } from '../../types.js';
import { insertLineAtBodyStart } from './helpers.js';
import { defineRule } from '../../define-rule.js';

/** True when the first top-level command of the script is a `set` that turns errexit on. */
function startsWithErrexit(script: ShellScript): boolean {
  const first = script.commands.find((c) => !c.nested);
  if (!first || first.baseName !== 'set') return false;
  return script.setOptions.some((o) => o.option === 'errexit' && o.range.start.offset >= first.range.start.offset && o.range.end.offset <= first.range.end.offset);
}

export const errexitLostWithCustomShell = defineRule({
  meta: {
    id: 'DEF302',
    slug: 'errexit-lost-with-custom-shell',
    group: 'shell',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'A build section with `-c <shell>` no longer stops at the first failing command.',
    description: [
      'Without arguments the builder runs `%post` (and `%setup`, `%pre`) as `/bin/sh -ex script`, so',
      'any failing command stops the build. With `%post -c /bin/bash` it runs',
      '`/bin/sh -ex -c "/bin/bash script"`: the `-e` applies to the outer sh only, and bash runs the',
      'script without it. A command that fails in the middle is ignored and the build "succeeds".',
      '',
      'Fix: start the script with `set -e` (better `set -eo pipefail` in bash), or write',
      '`%post -c /bin/bash -e`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: rockylinux:9\n\n%post -c /bin/bash\n    dnf install -y make\n    make -C /opt/src\n',
    good: 'Bootstrap: docker\nFrom: rockylinux:9\n\n%post -c /bin/bash\n    set -eo pipefail\n    dnf install -y make\n    make -C /opt/src\n',
    source: 'AP-BUILD `getSectionScriptArgs`; LOCAL (rc 0 after `false`)',
    needsShell: true,
    fixKind: 'safe',
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      const { section } = script;
      const shell = section.shell;
      if (!shell || shell.source !== 'args' || shell.errexit) continue;
      if (!isBuildSection(section) && !isHostSection(section)) continue;
      if (section.name === 'appinstall') continue; // inherits %post's header, reported there
      if (startsWithErrexit(script)) continue;
      const fix = insertLineAtBodyStart(ctx.file, section, 'set -e', 'Insert `set -e` at the top of the script');
      ctx.report({
        message: `%${section.name} runs under \`${shell.interpreter}\` without -e: a failing command no longer stops the build. Start the script with \`set -e\`.`,
        range: section.argsRange ?? section.lineRange,
        fix,
      });
    }
  },
});

export const redundantErrexit = defineRule({
  meta: {
    id: 'DEF303',
    slug: 'redundant-errexit',
    group: 'shell',
    defaultSeverity: 'off',
    presets: [],
    summary: '`set -e` / `set -x` at the top of a default build section is already in effect.',
    description: [
      'A build section without `-c` runs as `/bin/sh -ex`, so `set -e` and `set -x` change nothing.',
      'Harmless and portable, so this rule is off by default.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    set -e\n    apk add --no-cache make\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    apk add --no-cache make\n',
    source: 'AP-BUILD',
    needsShell: true,
    fixKind: 'safe',
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      const shell = script.section.shell;
      if (!shell || shell.source !== 'default' || !shell.errexit || !runsAtBuild(script.section) || !['post', 'setup', 'pre'].includes(script.section.name)) continue;
      for (const cmd of script.commands) {
        if (cmd.nested || cmd.baseName !== 'set' || cmd.args.length === 0) continue;
        if (!cmd.args.every((a) => /^-[ex]+$/.test(a.text))) continue;
        const line = script.section.bodyLines.find((l) => l.line === cmd.range.start.line);
        const wholeLine = line && line.text.trim() === ctx.file.text.slice(cmd.range.start.offset, cmd.range.end.offset);
        const nextLine = script.section.bodyLines.find((l) => l.line === cmd.range.start.line + 1);
        ctx.report({
          message: `\`${ctx.file.text.slice(cmd.range.start.offset, cmd.range.end.offset)}\` is redundant: %${script.section.name} already runs with \`sh -ex\`.`,
          range: cmd.range,
          tags: ['unnecessary'],
          fix: wholeLine && line && nextLine ? { description: 'Delete the line', edits: [{ start: line.offset, end: nextLine.offset, text: '' }] } : undefined,
        });
      }
    }
  },
});

export const nounset = defineRule({
  meta: {
    id: 'DEF315',
    slug: 'nounset',
    group: 'shell',
    defaultSeverity: 'off',
    presets: [],
    summary: 'Build section without `set -u` (opt-in).',
    description: [
      'With `set -u` a misspelled or unset variable stops the build instead of expanding to an empty',
      'string (`rm -rf "$PREFX/lib"`). Opt-in: many third-party scripts sourced in `%post` are not',
      '`-u` clean.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    PREFIX=/opt/app\n    mkdir -p "$PREFIX/bin"\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    set -u\n    PREFIX=/opt/app\n    mkdir -p "$PREFIX/bin"\n',
    source: 'shell hygiene',
    needsShell: true,
    fixKind: 'safe',
  },
  check(ctx) {
    for (const script of ctx.scripts) {
      if (!isBuildSection(script.section) && !isHostSection(script.section)) continue;
      if (script.setOptions.some((o) => o.option === 'nounset')) continue;
      ctx.report({
        message: `%${script.section.name} does not use \`set -u\`: unset variables silently expand to nothing.`,
        range: script.section.lineRange,
        fix: insertLineAtBodyStart(ctx.file, script.section, 'set -u', 'Insert `set -u` at the top of the script'),
      });
    }
  },
});
