// Header & bootstrap rules (DEF1xx): agent, required and irrelevant keys, header values.
import type { HeaderEntry, Stage } from '../../../parse/model.js';
import type { Fix, Rule, RuleContext } from '../../types.js';
import {
  AGENT_KEYS, AGENTS_REQUIRING_FROM, BOOTSTRAP_AGENTS, HOST_TOOL_AGENTS, isKnownAgent, keptEntries, lastEntry,
} from '../util/header.js';
import { isShellSection, liveStages } from '../util/sections.js';
import { deleteFix, endOfLine, endOfLineIncludingNewline, nearest, q, rangeOf, replaceFix, startOfLine } from '../util/text.js';
import { defineRule } from '../../define-rule.js';

/** A stage's agent: the resolved `Bootstrap:` value when it is a known agent. */
function knownAgent(ctx: RuleContext, stage: Stage): string | undefined {
  const value = ctx.resolvedHeader(stage, 'bootstrap');
  return value !== undefined && isKnownAgent(value) ? value : undefined;
}

/** Resolved value of a header key, '' when empty, undefined when absent or still templated. */
function valueOf(ctx: RuleContext, stage: Stage, key: string): string | undefined {
  return ctx.resolvedHeader(stage, key);
}

function isTemplated(value: string | undefined): boolean {
  return value !== undefined && value.includes('{{');
}

/** Whole lines of an entry, newline included, for deletion. */
function entryLines(ctx: RuleContext, entry: HeaderEntry): { start: number; end: number } {
  const text = ctx.file.text;
  const start = startOfLine(text, entry.range.start.offset);
  const lastChar = Math.max(start, entry.range.end.offset - 1);
  return { start, end: endOfLineIncludingNewline(text, lastChar) };
}

/** Inserts a header line right after an entry. */
function insertAfter(ctx: RuleContext, entry: HeaderEntry, line: string, description: string): Fix {
  const at = endOfLine(ctx.file.text, Math.max(entry.range.end.offset - 1, entry.range.start.offset));
  return { description, edits: [{ start: at, end: at, text: `\n${line}` }] };
}

/** True when a chunk holds only header keys and the next chunk brings the `Bootstrap:`. */
function isSplitOffHeader(ctx: RuleContext, stage: Stage): boolean {
  const stages = liveStages(ctx.file);
  const index = stages.indexOf(stage);
  const next = stages[index + 1];
  return (
    stage.header !== null && stage.sections.length === 0 && stage.headerValues.bootstrap === undefined &&
    next !== undefined && next.headerValues.bootstrap !== undefined
  );
}

export const missingBootstrap = defineRule({
  meta: {
    id: 'DEF101',
    slug: 'missing-bootstrap',
    group: 'header',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'A stage header without `Bootstrap:`.',
    description: [
      'The parser accepts a header without `Bootstrap:`, but the build cannot choose a bootstrap agent and fails with',
      '`unable to get conveyorpacker: no bootstrap specification found`. (A stage with no header at all is DEF851;',
      'header keys written *before* `Bootstrap:` are DEF102.)',
      '',
      '**Fix:** start the header with `Bootstrap: <agent>`.',
    ].join('\n'),
    bad: 'From: alpine:3.19\n\n%post\n    echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    echo hi\n',
    source: 'AP-BUILD `conveyorPacker.go`, `build.go`; deffile-format.md §6, §16 item 13',
  },
  check(ctx) {
    for (const stage of liveStages(ctx.file)) {
      if (stage.header === null || stage.header.length === 0 || stage.headerValues.bootstrap !== undefined) continue;
      if (stage.header.every((entry) => !entry.valid) || isSplitOffHeader(ctx, stage)) continue;
      const first = stage.header[0];
      ctx.report({
        message: 'This stage has no `Bootstrap:`: the build fails with "no bootstrap specification found"',
        range: rangeOf(ctx.file, first.range.start.offset, endOfLine(ctx.file.text, first.range.start.offset)),
      });
    }
  },
});

export const bootstrapPlacement = defineRule({
  meta: {
    id: 'DEF102',
    slug: 'bootstrap-placement',
    group: 'header',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`Bootstrap:` not first, indented, or with a space before the colon.',
    description: [
      '`apptainer build` cuts the file into stages right before every line that starts, in column 1, with',
      '`bootstrap:` (any case, colon right after the word). Hence:',
      '',
      '* header keys written **before** `Bootstrap:` become a stage of their own with no bootstrap, and the build',
      '  fails (reported as an error);',
      '* an indented `  Bootstrap:` or a `Bootstrap :` line does not start a stage: in the first header it works',
      '  by luck, but further down the would-be next stage is swallowed into the previous section.',
      '',
      '**Fix:** put `Bootstrap:` first, at the start of the line, with the colon right after it (safe fix).',
    ].join('\n'),
    bad: 'From: alpine:3.19\nBootstrap: docker\n\n%post\n    echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    echo hi\n',
    source: 'AP-DEF (header), AP-PARSER `All`; deffile-format.md §4, §16 items 14, 26',
    fixKind: 'safe',
  },
  check(ctx) {
    const text = ctx.file.text;
    const stages = liveStages(ctx.file);
    stages.forEach((stage, index) => {
      if (isSplitOffHeader(ctx, stage)) {
        const next = stages[index + 1];
        const bootstrap = (next.header ?? []).find((entry) => entry.key === 'bootstrap');
        const first = stage.header![0];
        const fix: Fix | undefined = bootstrap
          ? (() => {
              const lines = entryLines(ctx, bootstrap);
              const moved = text.slice(lines.start, lines.end);
              const at = startOfLine(text, first.range.start.offset);
              return {
                description: 'Move the Bootstrap line to the top of the header',
                edits: [
                  { start: at, end: at, text: moved.endsWith('\n') ? moved : `${moved}\n` },
                  { start: lines.start, end: lines.end, text: '' },
                ],
              };
            })()
          : undefined;
        ctx.report({
          message: `Header keys before \`Bootstrap:\` form a separate stage without a bootstrap: the build fails. Put \`Bootstrap:\` first`,
          range: first.keyRange,
          severity: 'error',
          fix,
        });
      }
      for (const entry of stage.header ?? []) {
        if (entry.key !== 'bootstrap') continue;
        const lineStart = startOfLine(text, entry.range.start.offset);
        const before = text.slice(lineStart, entry.keyRange.end.offset);
        const colon = text.indexOf(':', entry.keyRange.end.offset);
        const gap = text.slice(entry.keyRange.end.offset, colon);
        if (before === entry.rawKey && gap === '') continue;
        ctx.report({
          message:
            gap !== ''
              ? '`Bootstrap :` with a space before the colon does not start a stage for `apptainer build`; write `Bootstrap:`'
              : 'Indented `Bootstrap:` does not start a stage for `apptainer build`; start it in column 1',
          range: rangeOf(ctx.file, lineStart, colon + 1),
          fix: replaceFix('Write `Bootstrap:` at the start of the line', lineStart, colon + 1, 'Bootstrap:'),
        });
      }
      for (const section of stage.sections) {
        if (section.kind === 'unknown' || section.name === 'help' || section.name === 'apphelp' || isShellSection(section)) continue;
        for (const line of section.bodyLines) {
          const match = /^(\s+bootstrap\s*:|bootstrap\s+:)/i.exec(line.text);
          if (!match) continue;
          const colon = line.offset + match[0].length;
          ctx.report({
            message: `This \`${match[0].trim()}\` line does not start a new stage (only \`Bootstrap:\` in column 1 does): it is a line of %${section.name}`,
            range: rangeOf(ctx.file, line.offset, colon),
            suggestions: [replaceFix('Write `Bootstrap:` at the start of the line', line.offset, colon, 'Bootstrap:')],
          });
        }
      }
    });
  },
});

export const unknownBootstrapAgent = defineRule({
  meta: {
    id: 'DEF103',
    slug: 'unknown-bootstrap-agent',
    group: 'header',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: '`Bootstrap:` value that is not a bootstrap agent (values are case-sensitive).',
    description: [
      'The agent is chosen by comparing the value exactly: `library oras shub docker docker-archive docker-daemon oci',
      'oci-archive busybox debootstrap arch localimage yum dnf zypper scratch buildkit dockerfile`. `Docker` or an',
      'empty value fail at build time (`invalid build source`); Singularity 2\'s `self` is gone.',
      '',
      '**Fix:** use one of the agents (the quick fix proposes the nearest).',
    ].join('\n'),
    bad: 'Bootstrap: Docker\nFrom: alpine:3.19\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n',
    source: 'AP-BUILD `conveyorPacker.go`, AP-APPX; deffile-format.md §6',
    fixKind: 'suggestion',
  },
  check(ctx) {
    for (const stage of liveStages(ctx.file)) {
      const entry = lastEntry(stage, 'bootstrap');
      if (!entry) continue;
      const value = ctx.resolvedHeader(stage, 'bootstrap') ?? entry.value;
      if (isTemplated(value) || isKnownAgent(value)) continue;
      if (value === '') {
        ctx.report({ message: '`Bootstrap:` has no value: the build fails', range: entry.keyRange });
        continue;
      }
      const lower = value.toLowerCase();
      const candidate = isKnownAgent(lower) ? lower : nearest(lower, BOOTSTRAP_AGENTS, 2);
      const written = entry.value === value;
      let message = `Unknown bootstrap agent ${q(value)}: the build fails with "invalid build source"`;
      if (isKnownAgent(lower)) message = `Bootstrap agents are case-sensitive: ${q(value)} fails, write ${q(lower)}`;
      else if (lower === 'self') message = '`Bootstrap: self` (Singularity 2) is not supported by Apptainer';
      ctx.report({
        message,
        range: entry.valueRange,
        suggestions: candidate && written ? [replaceFix(`Use ${candidate}`, entry.valueRange.start.offset, entry.valueRange.end.offset, candidate)] : [],
      });
    }
  },
});

function hasImageTag(reference: string): boolean {
  if (reference.includes('@')) return true;
  const lastSlash = reference.lastIndexOf('/');
  return reference.slice(lastSlash + 1).includes(':');
}

export const missingRequiredKeyword = defineRule({
  meta: {
    id: 'DEF104',
    slug: 'missing-required-keyword',
    group: 'header',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'A key the bootstrap agent needs is missing.',
    description: [
      'Each agent reads its own keys and fails without the required ones:',
      '',
      '* `From` — library, oras, shub, docker, docker-archive, docker-daemon (with an explicit tag), oci,',
      '  oci-archive, localimage, buildkit/dockerfile;',
      '* `MirrorURL` — busybox, debootstrap, yum/dnf; `OSVersion` — debootstrap;',
      '* zypper SLE registration: `Product`, `User` and `Regcode` all or none, and then `OSVersion` too.',
      '',
      '**Fix:** add the key (the quick fix inserts a stub line to complete).',
    ].join('\n'),
    bad: 'Bootstrap: debootstrap\nMirrorURL: http://deb.debian.org/debian/\n',
    good: 'Bootstrap: debootstrap\nOSVersion: bookworm\nMirrorURL: http://deb.debian.org/debian/\n',
    source: 'AP-APPX, AP-BUILD `conveyorPacker_*.go`; deffile-format.md §6',
    fixKind: 'suggestion',
  },
  check(ctx) {
    for (const stage of liveStages(ctx.file)) {
      const agent = knownAgent(ctx, stage);
      const bootstrap = lastEntry(stage, 'bootstrap');
      if (!agent || !bootstrap) continue;
      const missing = (key: string) => {
        const value = valueOf(ctx, stage, key);
        return value === undefined || value === '';
      };
      const need = (key: string, spelling: string, why = '') => {
        if (!missing(key)) return;
        ctx.report({
          message: `\`Bootstrap: ${agent}\` needs \`${spelling}:\`${why}`,
          range: bootstrap.range,
          suggestions: [insertAfter(ctx, bootstrap, `${spelling}: `, `Add ${spelling}:`)],
        });
      };
      if (AGENTS_REQUIRING_FROM.has(agent)) need('from', 'From');
      if (agent === 'busybox' || agent === 'debootstrap' || agent === 'yum' || agent === 'dnf') need('mirrorurl', 'MirrorURL');
      if (agent === 'debootstrap') need('osversion', 'OSVersion');
      if (agent === 'docker-daemon') {
        const from = valueOf(ctx, stage, 'from');
        const entry = lastEntry(stage, 'from');
        if (from && entry && !isTemplated(from) && !hasImageTag(from)) {
          ctx.report({ message: `\`Bootstrap: docker-daemon\` needs an explicit tag: write ${q(from + ':latest')} or the tag you mean`, range: entry.valueRange });
        }
      }
      if (agent === 'zypper') {
        const sle = ['product', 'user', 'regcode'];
        const present = sle.filter((key) => !missing(key));
        if (present.length > 0 && present.length < sle.length) {
          const absent = sle.filter((key) => missing(key)).map((key) => ({ product: 'Product', user: 'User', regcode: 'Regcode' })[key]);
          ctx.report({ message: `SLE registration needs \`Product\`, \`User\` and \`Regcode\` together; missing: ${absent.join(', ')}`, range: bootstrap.range });
        }
        if (present.length === sle.length) need('osversion', 'OSVersion', ' (always required for SLE)');
      }
    }
  },
});

const NO_EFFECT_KEYS = new Set(['includecmd']);

export const keywordNotForAgent = defineRule({
  meta: {
    id: 'DEF105',
    slug: 'keyword-not-for-agent',
    group: 'header',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'A header key the chosen bootstrap agent ignores.',
    description: [
      'The parser accepts every known key with every agent, but each agent reads only its own: `OSVersion`,',
      '`MirrorURL` or `Include` under `Bootstrap: docker`, `From` under `debootstrap` or `yum`, `Registry` outside the',
      'docker/oci family, `Fingerprints` with agents that never yield a SIF — all silently do nothing. `IncludeCmd` is',
      'read by no code at all.',
      '',
      '**Fix:** delete the key, or switch to the agent that uses it.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:24.04\nOSVersion: noble\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:24.04\n',
    source: 'AP-APPX, AP-DEF fingerprints, AP-BUILD; deffile-format.md §6.1, §16 items 27, 28, 33',
    fixKind: 'suggestion',
  },
  check(ctx) {
    for (const stage of liveStages(ctx.file)) {
      const agent = knownAgent(ctx, stage);
      if (!agent) continue;
      const allowed = new Set(AGENT_KEYS[agent]);
      for (const entry of keptEntries(stage)) {
        if (entry.key === 'bootstrap' || entry.key === 'stage') continue;
        if ((agent === 'yum' || agent === 'dnf') && entry.key === 'osversion') continue; // DEF108
        const baseKey = /^otherurl\d+$/.test(entry.key) ? 'otherurl' : entry.key;
        if (!NO_EFFECT_KEYS.has(entry.key) && allowed.has(baseKey)) continue;
        const lines = entryLines(ctx, entry);
        ctx.report({
          message: NO_EFFECT_KEYS.has(entry.key)
            ? `${q(entry.rawKey)} has no effect: Apptainer accepts it but no code reads it`
            : `${q(entry.rawKey)} is ignored by \`Bootstrap: ${agent}\``,
          range: entry.keyRange,
          suggestions: [deleteFix(`Delete the ${entry.rawKey} line`, lines.start, lines.end)],
        });
      }
    }
  },
});

export const deprecatedAgentShub = defineRule({
  meta: {
    id: 'DEF106',
    slug: 'deprecated-agent-shub',
    group: 'header',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Singularity Hub (`shub`) is frozen.',
    description: [
      'Singularity Hub stopped building images years ago and is read-only; `Bootstrap: shub` / `shub://` images',
      'may vanish at any time. Apptainer still lists the agent only among "other" agents.',
      '',
      '**Fix:** use `oras`, `docker` or `library` with a maintained registry.',
    ].join('\n'),
    bad: 'Bootstrap: shub\nFrom: vsoch/hello-world\n',
    good: 'Bootstrap: oras\nFrom: ghcr.io/apptainer/alpine:3.15.0\n',
    source: 'AP-DEF (preferred agents); ReproNim/reproman#594',
  },
  check(ctx) {
    for (const stage of liveStages(ctx.file)) {
      const bootstrap = lastEntry(stage, 'bootstrap');
      const from = lastEntry(stage, 'from');
      if (bootstrap && ctx.resolvedHeader(stage, 'bootstrap') === 'shub') {
        ctx.report({ message: 'Singularity Hub (`shub`) is frozen and read-only: prefer oras, docker or library', range: bootstrap.valueRange, tags: ['deprecated'] });
      } else if (from && /^shub:\/\//i.test(ctx.resolvedHeader(stage, 'from') ?? '')) {
        ctx.report({ message: '`shub://` images come from the frozen Singularity Hub: prefer oras, docker or library', range: from.valueRange, tags: ['deprecated'] });
      }
    }
  },
});

export const libraryWithoutEndpoint = defineRule({
  meta: {
    id: 'DEF107',
    slug: 'library-without-endpoint',
    group: 'header',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`Bootstrap: library` without a `Library:` URL.',
    description: [
      'Apptainer has no default library endpoint: without `Library:` the build uses whatever library remote is',
      'configured on the building machine (`apptainer remote`), so the same file may pull from different places.',
      '',
      '**Fix:** add `Library: https://library.example.org` (or make sure every builder configures the remote).',
    ].join('\n'),
    bad: 'Bootstrap: library\nFrom: alpine:3.19\n',
    good: 'Bootstrap: library\nLibrary: https://library.sylabs.io\nFrom: alpine:3.19\n',
    source: 'AP-APPX (library agent); deffile-format.md §6',
  },
  check(ctx) {
    for (const stage of liveStages(ctx.file)) {
      const bootstrap = lastEntry(stage, 'bootstrap');
      if (!bootstrap || knownAgent(ctx, stage) !== 'library' || lastEntry(stage, 'library')) continue;
      ctx.report({ message: '`Bootstrap: library` without `Library:`: the image comes from whichever library remote the builder has configured', range: bootstrap.valueRange });
    }
  },
});

const OSVERSION_MACRO = /%\{osversion\}/i;

export const osversionPlaceholder = defineRule({
  meta: {
    id: 'DEF108',
    slug: 'osversion-placeholder',
    group: 'header',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: '`%{OSVERSION}` in a mirror URL without `OSVersion`, or `OSVersion` that yum never uses.',
    description: [
      'yum/dnf and zypper replace `%{OSVERSION}` in `MirrorURL`/`UpdateURL` with the `OSVersion` value; without',
      '`OSVersion` the build fails (`osversion referenced in mirror but no osversion specified`). Conversely yum/dnf',
      'use `OSVersion` **only** for that substitution: set but unused it does nothing (info).',
      '',
      '**Fix:** add `OSVersion:`, or use `%{OSVERSION}` in the URL, or drop the unused key.',
    ].join('\n'),
    bad: 'Bootstrap: yum\nMirrorURL: http://dl.rockylinux.org/pub/rocky/%{OSVERSION}/BaseOS/x86_64/os/\nInclude: dnf\n',
    good: 'Bootstrap: yum\nOSVersion: 9\nMirrorURL: http://dl.rockylinux.org/pub/rocky/%{OSVERSION}/BaseOS/x86_64/os/\nInclude: dnf\n',
    source: 'AP-APPX, AP-BUILD `conveyorPacker_yum.go`, `conveyorPacker_zypper.go`; deffile-format.md §6',
  },
  check(ctx) {
    for (const stage of liveStages(ctx.file)) {
      const agent = knownAgent(ctx, stage);
      if (agent !== 'yum' && agent !== 'dnf' && agent !== 'zypper') continue;
      const urls = ['mirrorurl', 'updateurl'].map((key) => lastEntry(stage, key)).filter((entry): entry is HeaderEntry => entry !== undefined);
      const usingMacro = urls.filter((entry) => OSVERSION_MACRO.test(entry.value));
      const osversion = lastEntry(stage, 'osversion');
      if (usingMacro.length > 0 && (!osversion || osversion.value === '')) {
        for (const entry of usingMacro) {
          ctx.report({ message: `${q(entry.rawKey)} uses %{OSVERSION} but the header has no \`OSVersion:\`: the build fails`, range: entry.valueRange });
        }
      } else if (usingMacro.length === 0 && osversion && agent !== 'zypper') {
        ctx.report({
          message: `\`OSVersion\` is only used to fill %{OSVERSION} in MirrorURL/UpdateURL, and neither contains it: it has no effect with \`Bootstrap: ${agent}\``,
          range: osversion.keyRange,
          severity: 'info',
        });
      }
    }
  },
});

export const hashInHeaderValue = defineRule({
  meta: {
    id: 'DEF109',
    slug: 'hash-in-header-value',
    group: 'header',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'A `#` inside a header value cuts it.',
    description: [
      'Header lines are cut at the first `#`, wherever it is: `MirrorURL: http://host/path#frag` stores',
      '`http://host/path`, `From: repo/image#tag` stores `repo/image`. A `#` after a space is a normal comment and',
      'is not reported.',
      '',
      '**Fix:** remove the `#` part, or encode it (`%23` in URLs).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: registry.example.org/team/app#v2\n',
    good: 'Bootstrap: docker\nFrom: registry.example.org/team/app:v2 # pinned\n',
    source: 'AP-PARSER `doHeader`; deffile-format.md §5.2 (verified h07), §16 item 25',
  },
  check(ctx) {
    const text = ctx.file.text;
    for (const stage of ctx.file.stages) {
      for (const entry of stage.header ?? []) {
        if (entry.comment === '' || entry.value === '') continue;
        const hash = entry.valueRange.end.offset;
        if (text[hash] !== '#') continue;
        const lineEnd = endOfLine(text, hash);
        const cutText = text.slice(hash, lineEnd).trimEnd();
        ctx.report({
          message: `\`#\` cuts this value: Apptainer stores ${q(entry.value)} and drops ${q(cutText)}`,
          range: rangeOf(ctx.file, hash, hash + cutText.length),
        });
      }
    }
  },
});

const APPTAINER_ONLY_KEYS = new Set(['target', 'frontend', 'filename', 'buildargs', 'confurl']);

export const dialectIncompatible = defineRule({
  meta: {
    id: 'DEF110',
    slug: 'dialect-incompatible',
    group: 'header',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'A header key that only Apptainer (not SingularityCE) accepts.',
    description: [
      '`Target`, `Frontend`, `Filename`, `BuildArgs` and `ConfURL` are in Apptainer\'s list of header keys but not in',
      'SingularityCE\'s, which rejects the file. The rule applies when the `targets` option includes',
      '`singularityce` (the default: files meant to build with both). Set `targets: [apptainer]` to silence it.',
      '',
      '**Fix:** drop the key, or build only with Apptainer.',
    ].join('\n'),
    bad: 'Bootstrap: arch\nConfURL: https://example.org/pacman.conf\n',
    good: 'Bootstrap: arch\n',
    source: 'AP-PARSER vs SCE parser (`validHeaders`)',
    optionsSchema: {
      type: 'object',
      properties: {
        targets: {
          type: 'array',
          items: { enum: ['apptainer', 'singularityce'] },
          default: ['apptainer', 'singularityce'],
          description: 'Engines the file must build with.',
        },
      },
      additionalProperties: false,
    },
  },
  check(ctx) {
    const targets = Array.isArray(ctx.options.targets) ? (ctx.options.targets as string[]) : ['apptainer', 'singularityce'];
    if (!targets.includes('singularityce')) return;
    for (const stage of ctx.file.stages) {
      for (const entry of keptEntries(stage)) {
        if (!APPTAINER_ONLY_KEYS.has(entry.key)) continue;
        ctx.report({ message: `${q(entry.rawKey)} is an Apptainer-only header key: SingularityCE rejects the file`, range: entry.keyRange });
      }
    }
  },
});

export const hostDependentAgent = defineRule({
  meta: {
    id: 'DEF111',
    slug: 'host-dependent-agent',
    group: 'header',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'Bootstrap agent that builds the OS with the host\'s own tools.',
    description: [
      '`yum`, `dnf`, `debootstrap`, `zypper`, `arch` and `busybox` run package tools installed **on the host**: the',
      'build needs them (and usually root), not every fakeroot mode works, and e.g. an RPM database written by a',
      'newer host RPM may be unreadable inside an older OS. Images built `From:` a registry are more portable.',
      '',
      '**Fix:** prefer `Bootstrap: docker`/`oras` with an official base image, unless you need the host tools.',
    ].join('\n'),
    bad: 'Bootstrap: debootstrap\nOSVersion: bookworm\nMirrorURL: http://deb.debian.org/debian/\n',
    good: 'Bootstrap: docker\nFrom: debian:bookworm\n',
    source: 'AP-APPX notes, AP-BUILD (yum + fakeroot warning)',
  },
  check(ctx) {
    for (const stage of liveStages(ctx.file)) {
      const agent = knownAgent(ctx, stage);
      const bootstrap = lastEntry(stage, 'bootstrap');
      if (!agent || !bootstrap || !HOST_TOOL_AGENTS.has(agent)) continue;
      ctx.report({ message: `\`Bootstrap: ${agent}\` builds the OS with tools installed on the host (usually as root): less portable than a registry base image`, range: bootstrap.valueRange });
    }
  },
});

const IMAGE_EXTENSIONS = /\.(sif|simg|img|sqsh|squashfs|sqfs|ext3)$/i;

export const baseIsSandbox = defineRule({
  meta: {
    id: 'DEF112',
    slug: 'base-is-sandbox',
    group: 'header',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`Bootstrap: localimage` from what looks like a sandbox directory.',
    description: [
      'Building from a sandbox directory (no `.sif`/`.img` image file) bakes in whatever was changed by hand in',
      'that directory: nobody can rebuild the result from the definition files alone.',
      '',
      '**Fix:** build the base from its own definition file into a SIF, and bootstrap from that.',
    ].join('\n'),
    bad: 'Bootstrap: localimage\nFrom: ./my-sandbox/\n',
    good: 'Bootstrap: localimage\nFrom: ./base.sif\n',
    source: 'AP-BP #6, AP-BLD',
  },
  check(ctx) {
    for (const stage of liveStages(ctx.file)) {
      if (knownAgent(ctx, stage) !== 'localimage') continue;
      const from = lastEntry(stage, 'from');
      const value = ctx.resolvedHeader(stage, 'from');
      if (!from || value === undefined || value === '' || isTemplated(value) || IMAGE_EXTENSIONS.test(value)) continue;
      ctx.report({ message: `${q(value)} looks like a sandbox directory, not an image file: hand-edited sandboxes are not reproducible`, range: from.valueRange });
    }
  },
});

const SCHEME_ADDED: Record<string, string> = { docker: 'docker://', shub: 'shub://', oras: 'oras://' };

export const fromRepeatsScheme = defineRule({
  meta: {
    id: 'DEF113',
    slug: 'from-repeats-scheme',
    group: 'header',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: '`From: docker://...` under `Bootstrap: docker` (the agent adds the scheme itself).',
    description: [
      'The docker, shub and oras agents prefix `From` with their scheme (`docker://`, `shub://`, `oras://`), so',
      '`From: docker://ubuntu` becomes `docker://docker://ubuntu` and the pull fails. (`library://` is stripped and',
      'therefore fine.)',
      '',
      '**Fix:** drop the scheme from `From` (safe fix).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: docker://ubuntu:24.04\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:24.04\n',
    source: 'AP-BUILD `conveyorPacker_oci.go`, `_oras.go`, `_shub.go`; deffile-format.md §6, §16 item 21',
    fixKind: 'safe',
  },
  check(ctx) {
    for (const stage of liveStages(ctx.file)) {
      const agent = knownAgent(ctx, stage);
      const scheme = agent ? SCHEME_ADDED[agent] : undefined;
      const from = lastEntry(stage, 'from');
      if (!scheme || !from || !from.value.toLowerCase().startsWith(scheme)) continue;
      const start = from.valueRange.start.offset;
      ctx.report({
        message: `\`Bootstrap: ${agent}\` already adds ${q(scheme)}: this From becomes ${q(scheme + from.value)}`,
        range: rangeOf(ctx.file, start, start + scheme.length),
        fix: replaceFix(`Remove ${scheme}`, start, start + scheme.length, ''),
      });
    }
  },
});

export const bootstrapRules: Rule[] = [
  missingBootstrap, bootstrapPlacement, unknownBootstrapAgent, missingRequiredKeyword, keywordNotForAgent, deprecatedAgentShub,
  libraryWithoutEndpoint, osversionPlaceholder, hashInHeaderValue, dialectIncompatible, hostDependentAgent, baseIsSandbox, fromRepeatsScheme,
];


