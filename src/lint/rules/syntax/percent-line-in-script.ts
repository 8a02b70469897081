// DEF002 percent-line-in-script: A `%` line inside a script (heredoc, continuation, indented line) cuts the script into a new section.
import { PARSER_MESSAGES, reportParserDiagnostics } from '../../vocab/diagnostics.js';
import { sectionLabel } from '../../vocab/sections.js';
import { q, sectionLineRange } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { cutsByLine } from '../../vocab/syntax-sections.js';

export const percentLineInScript = defineRule({
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
        messageId: 'lineStarting',
        data: { where, consequence },
        range: sectionLineRange(ctx.file, cut.section),
        severity: valid ? 'warning' : undefined,
      });
    }
  },
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
      "**Fix:** generate the text without a line starting with `%` (e.g. `printf '%s\\n' ...` on one line, or put",
      'a character before the `%` and strip it with `sed`), or ship the file through `%files`.',
    ].join('\n'),
    bad: [
      'Bootstrap: docker',
      'From: rockylinux:9',
      '',
      '%post',
      "    cat > /root/pkg.spec <<'EOF'",
      'Name: demo',
      '%define debug_package %{nil}',
      'EOF',
      '    rpmbuild -bb /root/pkg.spec',
      '',
    ].join('\n'),
    good: ['Bootstrap: docker', 'From: rockylinux:9', '', '%files', '    pkg.spec /root/pkg.spec', '', '%post', '    rpmbuild -bb /root/pkg.spec', ''].join(
      '\n',
    ),
    source: 'AP-PARSER `scanDefinitionFile`; deffile-format.md §3.2, §16 item 3',
    messages: {
      ...PARSER_MESSAGES,
      lineStarting: 'Line starting with `%` {{ where }}: {{ consequence }}',
    },
  },
});
