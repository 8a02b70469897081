// Section-line syntax: unknown names, lines that cut scripts, tabs, case, arguments, duplicates.
import type { Section } from '../../../parse/model.js';
import type { Fix, Rule, RuleContext } from '../../types.js';
import { reportParserDiagnostics } from '../util/diagnostics.js';
import { findScriptCuts, type ScriptCut } from '../util/script-cuts.js';
import {
  ALL_SECTION_NAMES, isAppSectionName, isStandardSectionName, isValidSectionName, liveStages, sectionKey, sectionLabel,
} from '../util/sections.js';
import {
  endOfLineIncludingNewline, nearest, q, rangeOf, replaceFix, sectionHeadRange, sectionLineRange, sectionLineText, sectionWordSpan,
} from '../util/text.js';
import { defineRule } from '../../define-rule.js';

function allSections(ctx: RuleContext): Section[] {
  return ctx.file.stages.flatMap((stage) => stage.sections);
}

/** Sections whose line holds a tab right after a valid section word (`%post\t-c ...`). */
function tabbedSectionLines(ctx: RuleContext): Map<number, { section: Section; tabStart: number; tabEnd: number; name: string }> {
  const found = new Map<number, { section: Section; tabStart: number; tabEnd: number; name: string }>();
  for (const section of allSections(ctx)) {
    const span = sectionWordSpan(ctx.file, section);
    const word = ctx.file.text.slice(span.wordStart, span.wordEnd);
    const tab = word.search(/\t/);
    if (tab <= 0) continue;
    const name = word.slice(0, tab).toLowerCase();
    if (!isValidSectionName(name)) continue;
    let tabEnd = span.wordStart + tab;
    while (tabEnd < span.lineEnd && /[\t ]/.test(ctx.file.text[tabEnd])) tabEnd++;
    found.set(section.lineRange.start.line, { section, tabStart: span.wordStart + tab, tabEnd, name });
  }
  return found;
}

function cutsByLine(ctx: RuleContext): Map<number, ScriptCut> {
  return new Map(findScriptCuts(ctx.file).map((cut) => [cut.section.lineRange.start.line, cut]));
}

function suggestSectionName(ctx: RuleContext, section: Section): Fix[] {
  const span = sectionWordSpan(ctx.file, section);
  const word = ctx.file.text.slice(span.wordStart, span.wordEnd);
  const lineStart = section.lineRange.start.offset;
  if (span.percentStart > lineStart && section.lineRange.start.line > 1) {
    return isValidSectionName(word.toLowerCase()) ? [replaceFix(`Start %${word} in column 1`, lineStart, span.percentStart, '')] : [];
  }
  if (word === '') return [];
  const lower = word.toLowerCase();
  const cleaned = lower.replace(/[:;,.#]+.*$/, '');
  const candidate = isValidSectionName(cleaned) ? cleaned : nearest(cleaned || lower, ALL_SECTION_NAMES, 2);
  if (!candidate) return [];
  return [replaceFix(`Rename to %${candidate}`, span.wordStart, span.wordEnd, candidate)];
}

function unknownSectionMessage(ctx: RuleContext, section: Section): string {
  const span = sectionWordSpan(ctx.file, section);
  const line = sectionLineText(ctx.file, section);
  if (/^\s/.test(line) && section.lineRange.start.line > 1) {
    return 'Indented section line: after line 1 a section line must start in column 1, otherwise Apptainer reads a section with an empty name and rejects the file';
  }
  const word = ctx.file.text.slice(span.wordStart, span.wordEnd);
  if (word === '') return 'Lone `%`: Apptainer reads a section with an empty name and rejects the file';
  if (/\t/.test(word)) return `Section word ${q('%' + word.replace(/\t/g, '\\t'))} contains a tab: Apptainer cuts the name at the first space only and rejects the file`;
  if (isAppSectionName(word.toLowerCase())) {
    return `App section word ${q('%' + word)} must be lowercase: Apptainer rejects it as an invalid section`;
  }
  return `Unknown section ${q('%' + word)}: Apptainer rejects the file`;
}

export const unknownSection = defineRule({
  meta: {
    id: 'DEF001',
    slug: 'unknown-section',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'Section name that Apptainer does not know.',
    description: [
      'A line whose first word starts with `%` opens a section. Apptainer accepts only `%help %setup %files %labels',
      '%environment %pre %post %runscript %test %startscript %arguments` and the SCIF app sections',
      '`%appinstall %applabels %appfiles %appenv %apptest %apphelp %apprun %appstart`. Anything else (a typo such as',
      '`%enviroment`, `%post:`, `%AppRun`, a lone `%`, or a section line indented after line 1) makes the build fail',
      'with `invalid section(s) specified`, and Apptainer does not say on which line.',
      '',
      '**Fix:** correct the name (the quick fix proposes the nearest valid one) or, if the line is script text,',
      'make sure it does not start with `%`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%enviroment\n    export LC_ALL=C\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%environment\n    export LC_ALL=C\n',
    source: 'AP-PARSER `populateDefinition`; deffile-format.md §7.1, §7.3, §7.5',
    fixKind: 'suggestion',
  },
  check(ctx) {
    const cuts = cutsByLine(ctx);
    const tabs = tabbedSectionLines(ctx);
    const sectionsByLine = new Map(allSections(ctx).map((section) => [section.lineRange.start.line, section]));
    const claimedElsewhere = (line: number) => tabs.has(line) || cuts.has(line);
    const reported = reportParserDiagnostics(ctx, 'DEF001', {
      skip: (diagnostic) => claimedElsewhere(diagnostic.range.start.line),
      extra: (diagnostic) => {
        const section = sectionsByLine.get(diagnostic.range.start.line);
        if (!section) return {};
        const error = diagnostic.apptainerError ? ` (Apptainer: ${diagnostic.apptainerError})` : '';
        return { message: unknownSectionMessage(ctx, section) + error, suggestions: suggestSectionName(ctx, section) };
      },
    });
    for (const section of allSections(ctx)) {
      const line = section.lineRange.start.line;
      if (section.kind !== 'unknown' || reported.has(line) || claimedElsewhere(line)) continue;
      ctx.report({ message: unknownSectionMessage(ctx, section), range: sectionHeadRange(ctx.file, section), suggestions: suggestSectionName(ctx, section) });
    }
  },
});

export const percentLineInScript = defineRule({
  meta: {
    id: 'DEF002',
    slug: 'percent-line-in-script',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'A `%` line inside a script (heredoc, continuation, indented line) cuts the script into a new section.',
    description: [
      'Apptainer has no notion of quoting: every line whose first word starts with `%` starts a new section, even',
      'inside a heredoc, after a `\\` continuation or when indented. RPM spec files (`%define`, `%build`), Makefile',
      'pattern rules (`%.o: %.c`) and `printf` continuation lines (`    %s\\n`) written from `%post` are typical victims.',
      'If the implied name is invalid the build fails (error); if it happens to be valid (`%files` inside a heredoc)',
      'the script is silently split and the rest becomes another section (warning).',
      '',
      '**Fix:** generate the text without a line starting with `%` (e.g. `printf \'%s\\n\' ...` on one line, or put',
      'a character before the `%` and strip it with `sed`), or ship the file through `%files`.',
    ].join('\n'),
    bad: [
      'Bootstrap: docker', 'From: rockylinux:9', '', '%post', "    cat > /root/pkg.spec <<'EOF'", 'Name: demo',
      '%define debug_package %{nil}', 'EOF', '    rpmbuild -bb /root/pkg.spec', '',
    ].join('\n'),
    good: [
      'Bootstrap: docker', 'From: rockylinux:9', '', '%files', '    pkg.spec /root/pkg.spec', '', '%post',
      '    rpmbuild -bb /root/pkg.spec', '',
    ].join('\n'),
    source: 'AP-PARSER `scanDefinitionFile`; deffile-format.md §3.2, §16 item 3',
  },
  check(ctx) {
    const cuts = cutsByLine(ctx);
    const reported = reportParserDiagnostics(ctx, 'DEF002');
    for (const [line, cut] of cuts) {
      if (reported.has(line)) continue;
      const where =
        cut.reason === 'heredoc'
          ? `inside the heredoc ${q('<<' + (cut.delimiter ?? ''))} of ${sectionLabel(cut.script)}`
          : cut.reason === 'continuation'
            ? `after a \`\\\` continuation in ${sectionLabel(cut.script)}`
            : `indented inside ${sectionLabel(cut.script)}`;
      const valid = cut.section.kind !== 'unknown';
      const consequence = valid
        ? `Apptainer silently starts a new ${sectionLabel(cut.section)} section here and the rest of the script is lost`
        : 'Apptainer takes it for a section line with an invalid name and rejects the file';
      ctx.report({
        message: `Line starting with \`%\` ${where}: ${consequence}`,
        range: sectionLineRange(ctx.file, cut.section),
        severity: valid ? 'warning' : undefined,
      });
    }
  },
});

export const tabInSectionHeader = defineRule({
  meta: {
    id: 'DEF010',
    slug: 'tab-in-section-header',
    group: 'syntax',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'Tab after the section name: Apptainer cuts the name at the first space only.',
    description: [
      'The section name ends at the first ASCII space. A tab is part of the name, so `%post<TAB>-c /bin/bash` is',
      'the section `post\\t-c`, which is invalid, and the build fails.',
      '',
      '**Fix:** use a space between the section word and its arguments (the fix does it).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\t-c /bin/sh\n    echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post -c /bin/sh\n    echo hi\n',
    source: 'AP-PARSER `getSectionName`; deffile-format.md §7.1 (verified s05, s29, a05)',
    fixKind: 'safe',
  },
  check(ctx) {
    const tabs = tabbedSectionLines(ctx);
    const fixFor = (tabStart: number, tabEnd: number) => replaceFix('Replace the tab by a space', tabStart, tabEnd, ' ');
    const reported = reportParserDiagnostics(ctx, 'DEF010', {
      extra: (diagnostic) => {
        const tab = tabs.get(diagnostic.range.start.line);
        return tab ? { range: rangeOf(ctx.file, tab.tabStart, tab.tabEnd), fix: fixFor(tab.tabStart, tab.tabEnd) } : {};
      },
    });
    for (const [line, { tabStart, tabEnd, name }] of tabs) {
      if (reported.has(line)) continue;
      ctx.report({
        message: `Tab after ${q('%' + name)}: Apptainer reads the section name up to the first space, so this is an invalid section`,
        range: rangeOf(ctx.file, tabStart, tabEnd),
        fix: fixFor(tabStart, tabEnd),
      });
    }
  },
});

export const sectionNameCase = defineRule({
  meta: {
    id: 'DEF008',
    slug: 'section-name-case',
    group: 'syntax',
    defaultSeverity: 'style',
    presets: ['recommended'],
    summary: 'Section name not in lowercase.',
    description: [
      'Apptainer lowercases standard section names, so `%POST` or `%RunScript` work, but lowercase is the',
      'convention everywhere (and app section words such as `%AppRun` are *not* accepted in another case).',
      '',
      '**Fix:** write the name in lowercase (safe fix).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%POST\n    echo hi\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%post\n    echo hi\n',
    source: 'AP-PARSER (names lowercased); deffile-format.md §15 probes',
    fixKind: 'safe',
  },
  check(ctx) {
    for (const section of allSections(ctx)) {
      if (section.kind !== 'standard') continue;
      const span = sectionWordSpan(ctx.file, section);
      const word = ctx.file.text.slice(span.wordStart, span.wordEnd);
      const lower = word.toLowerCase();
      if (word === lower || !isStandardSectionName(lower)) continue;
      ctx.report({
        message: `Section name ${q('%' + word)} is conventionally written ${q('%' + lower)}`,
        range: rangeOf(ctx.file, span.wordStart, span.wordEnd),
        fix: replaceFix(`Write %${lower}`, span.wordStart, span.wordEnd, lower),
      });
    }
  },
});

const WARN_ON_DUPLICATE = new Set(['runscript', 'startscript', 'help', 'test', 'apprun', 'appstart', 'apphelp', 'apptest']);

export const duplicateSection = defineRule({
  meta: {
    id: 'DEF007',
    slug: 'duplicate-section',
    group: 'syntax',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'The same section appears twice in a stage; Apptainer concatenates the bodies.',
    description: [
      'Repeating a section (or an app section for the same app) does not replace the first one: Apptainer appends the',
      'bodies in file order, and the arguments of the last occurrence that has any win (`%post ` with a trailing space',
      'even clears them). Two `%runscript`, `%help` or `%test` bodies glued together are rarely intended (warning);',
      'a second `%post`, `%environment` or `%labels` is usually harmless but harder to read (info). Repeated `%files`',
      'blocks are not reported: they are a normal way to copy from several stages.',
      '',
      '**Fix:** merge the sections into one.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%runscript\n    echo one\n\n%runscript\n    echo two\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%runscript\n    echo one\n    echo two\n',
    source: 'AP-DEF ("appended"), AP-PARSER; deffile-format.md §7.4',
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      const first = new Map<string, Section>();
      for (const section of stage.sections) {
        if (section.kind === 'unknown' || section.name === 'files' || section.name === 'appfiles') continue;
        const key = sectionKey(section);
        const earlier = first.get(key);
        if (!earlier) {
          first.set(key, section);
          continue;
        }
        let message = `${sectionLabel(section)} already appears on line ${earlier.lineRange.start.line}: Apptainer appends this body to it`;
        if (section.app === undefined && section.hasArgs && section.args !== earlier.args && earlier.args.trim() !== '') {
          message += `, and the arguments ${q(section.args)} replace ${q(earlier.args)}`;
        }
        ctx.report({ message, range: sectionHeadRange(ctx.file, section), severity: WARN_ON_DUPLICATE.has(section.name) ? undefined : 'info' });
      }
    }
  },
});

const IGNORED_ARGS = new Set(['help', 'labels', 'environment', 'arguments']);

export const invalidSectionArguments = defineRule({
  meta: {
    id: 'DEF009',
    slug: 'invalid-section-arguments',
    group: 'syntax',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'Section arguments that Apptainer ignores, or that break the section.',
    description: [
      '* `%help`, `%labels`, `%environment` and `%arguments` take no arguments: words after the name are ignored.',
      '* App sections take exactly one word, the app name; anything after it is dropped.',
      '* `%pre`, `%setup`, `%post` with `-c` and nothing after it fail at build time',
      '  (`bad post section \'-c\' parameter: missing arguments`) — reported as an error.',
      '* `%files` accepts nothing or exactly two words (`from <stage>`). Any other arguments (`%files from`,',
      '  `%files from a b`, a single word, two trailing spaces) make Apptainer **silently skip the whole block** —',
      '  reported as an error. With two words the first one is not checked (`%files to s1` copies from `s1`).',
      '',
      '**Fix:** remove the ignored words, or write `%files from <stage>`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels Author me\n    Version 1.0\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    Author me\n    Version 1.0\n',
    source: 'AP-PARSER, AP-BUILD `getSectionScriptArgs`, `stage.go:copyFiles`; deffile-format.md §8, §9.2, §11.1',
    fixKind: 'suggestion',
  },
  check(ctx) {
    const text = ctx.file.text;
    for (const section of allSections(ctx)) {
      if (section.kind === 'unknown') continue;
      const span = sectionWordSpan(ctx.file, section);
      const argsStart = Math.min(span.wordEnd + 1, span.lineEnd);
      const args = text.slice(argsStart, span.lineEnd);
      const argsRange = rangeOf(ctx.file, argsStart, span.lineEnd);
      const removeArgs = (what: string): Fix => replaceFix(what, span.wordEnd, span.lineEnd, '');
      if (section.kind === 'app') {
        // `%apprun name extra...`: Go's SplitN(line, " ", 3) keeps only the name.
        const afterWord = text.slice(span.wordEnd, span.lineEnd);
        const parts = afterWord.startsWith(' ') ? afterWord.slice(1).split(' ') : [];
        if (parts.length < 2) continue;
        const extraStart = span.wordEnd + 1 + parts[0].length + 1;
        const extra = text.slice(extraStart, span.lineEnd);
        if (extra.trim() === '' || extra.trim().startsWith('#')) continue;
        ctx.report({
          message: `Words after the app name are ignored: ${q(extra.trim())}`,
          range: rangeOf(ctx.file, extraStart, span.lineEnd),
          suggestions: [replaceFix('Remove the ignored words', extraStart - 1, span.lineEnd, '')],
        });
        continue;
      }
      if (IGNORED_ARGS.has(section.name)) {
        const trimmed = args.trim();
        if (trimmed === '' || trimmed.startsWith('#')) continue;
        ctx.report({
          message: `%${section.name} takes no arguments: ${q(trimmed)} is ignored${section.name === 'labels' ? ' (labels go on the lines below)' : ''}`,
          range: argsRange,
          suggestions: [removeArgs('Remove the ignored arguments')],
        });
        continue;
      }
      const cut = args.split('#')[0];
      if (section.name === 'pre' || section.name === 'setup' || section.name === 'post') {
        const words = cut.trim().split(/\s+/).filter(Boolean);
        const c = words.indexOf('-c');
        if (c !== -1 && c === words.length - 1) {
          ctx.report({
            message: `%${section.name} -c without a command: the build fails with "bad ${section.name} section '-c' parameter: missing arguments"`,
            range: argsRange,
            severity: 'error',
          });
        }
        continue;
      }
      if (section.name === 'files') {
        if (cut === '') continue;
        const words = cut.trim().split(/\s+/).filter(Boolean);
        if (words.length === 2) {
          if (words[0] !== 'from') {
            const wordStart = argsStart + args.indexOf(words[0]);
            ctx.report({
              message: `%files ${words[0]} ${words[1]} copies from stage ${q(words[1])} (the first word is not checked); write \`from\``,
              range: rangeOf(ctx.file, wordStart, wordStart + words[0].length),
              suggestions: [replaceFix('Write `from`', wordStart, wordStart + words[0].length, 'from')],
            });
          }
          continue;
        }
        ctx.report({
          message:
            words.length === 0
              ? '%files followed by extra spaces: Apptainer silently skips this whole block (only `%files` or `%files from <stage>` work)'
              : `%files arguments ${q(cut.trim())}: Apptainer silently skips this whole block (only \`%files\` or \`%files from <stage>\` work)`,
          range: words.length === 0 ? rangeOf(ctx.file, span.wordEnd, span.lineEnd) : argsRange,
          severity: 'error',
          suggestions: words.length === 0 ? [removeArgs('Remove the trailing spaces')] : [],
        });
      }
    }
  },
});

const HEADER_LOOKING_KEYS = new Set([
  'bootstrap', 'from', 'stage', 'osversion', 'mirrorurl', 'updateurl', 'include', 'registry', 'namespace', 'library', 'fingerprints', 'includecmd',
]);
const DATA_SECTIONS = new Set(['labels', 'files', 'environment', 'arguments', 'applabels', 'appfiles', 'appenv']);

export const headerLineInsideSection = defineRule({
  meta: {
    id: 'DEF005',
    slug: 'header-line-inside-section',
    group: 'syntax',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'A header line (`From:`, `Stage:`, ...) placed after the first section is section text.',
    description: [
      'The header ends at the first section line. A `From:` or `Stage:` line written further down is just a line of',
      'the section it falls into: in `%labels` it becomes a label named `From:`, in `%environment` a shell command',
      'that fails at run time, in `%files` a bogus copy.',
      '',
      '**Fix:** move the line up into the header (the quick fix does it).',
    ].join('\n'),
    bad: 'Bootstrap: docker\n\n%labels\n    From: alpine:3.19\n    Author me\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.19\n\n%labels\n    Author me\n',
    source: 'AP-PARSER; deffile-format.md §3.3, §5',
    fixKind: 'suggestion',
  },
  check(ctx) {
    for (const stage of liveStages(ctx.file)) {
      const header = stage.header ?? [];
      const lastHeaderEntry = header[header.length - 1];
      for (const section of stage.sections) {
        if (section.kind === 'unknown' || !DATA_SECTIONS.has(section.name)) continue;
        for (const line of section.bodyLines) {
          const match = /^(\s*)([A-Za-z]+)\s*:/.exec(line.text);
          if (!match || !HEADER_LOOKING_KEYS.has(match[2].toLowerCase())) continue;
          const keyStart = line.offset + match[1].length;
          const suggestions: Fix[] = [];
          if (lastHeaderEntry) {
            const insertAt = endOfLineIncludingNewline(ctx.file.text, lastHeaderEntry.range.end.offset);
            const lineEnd = endOfLineIncludingNewline(ctx.file.text, line.offset);
            const moved = line.text.trim();
            suggestions.push({
              description: `Move ${q(match[2] + ':')} into the header`,
              edits: [
                { start: insertAt, end: insertAt, text: `${moved}\n` },
                { start: line.offset, end: lineEnd, text: '' },
              ],
            });
          }
          ctx.report({
            message: `${q(match[2] + ':')} is a line of %${section.name}, not a header entry: the header ends at the first section`,
            range: rangeOf(ctx.file, keyStart, keyStart + match[0].length - match[1].length),
            suggestions,
          });
        }
      }
    }
  },
});

export const sectionRules: Rule[] = [
  unknownSection,
  percentLineInScript,
  headerLineInsideSection,
  duplicateSection,
  sectionNameCase,
  invalidSectionArguments,
  tabInSectionHeader,
];
