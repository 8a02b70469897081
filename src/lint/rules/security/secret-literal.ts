// DEF501 secret-literal: A password, token or key written literally in the definition file.
import { shellDetails } from '../../shell/index.js';
import type { Range } from '../../../parse/model.js';
import type { MessageData } from '../../types.js';
import { looksLikeSecretName } from '../../vocab/shell-commands.js';
import { defineRule } from '../../define-rule.js';
import { PerCommands } from '../../vocab/lint-memo.js';
import { SECRET_SHAPES, isLiteralSecretValue } from '../../vocab/security-secrets.js';

export const secretLiteral = defineRule({
  create(ctx) {
    // One finding per place: a token shape that is also a secret-named variable is reported once.
    const reported = new Set<number>();
    const report = (range: Range, messageId: 'tokenShape' | 'literalVariable' | 'literalOption' | 'literalLabel', data: MessageData) => {
      if (reported.has(range.start.offset)) return;
      reported.add(range.start.offset);
      ctx.report({ messageId, data, range });
    };
    return {
      file(file) {
        // Token shapes anywhere in the text.
        for (const { name, pattern, marks } of SECRET_SHAPES) {
          if (!marks.some((mark) => file.text.includes(mark))) continue;
          for (const m of file.text.matchAll(pattern)) {
            const start = m.index ?? 0;
            report({ start: file.positionAt(start), end: file.positionAt(start + m[0].length) }, 'tokenShape', { name });
          }
        }
      },
      section(section) {
        for (const label of section.labels ?? []) {
          if (looksLikeSecretName(label.key) && isLiteralSecretValue(label.value)) report(label.valueRange ?? label.range, 'literalLabel', { key: label.key });
        }
      },
      script(script) {
        // Secret-named shell variables with literal values.
        for (const a of shellDetails(script).assignments) {
          if (looksLikeSecretName(a.name) && isLiteralSecretValue(a.value)) report(a.range, 'literalVariable', { name: a.name });
        }
        // Then its commands' own assignments and options, in order.
        for (const hit of commandSecretsIn.of(script.commands)) report(hit.range, hit.messageId, hit.data);
      },
    };
  },
  meta: {
    id: 'DEF501',
    slug: 'secret-literal',
    group: 'security',
    defaultSeverity: 'error',
    presets: ['recommended', 'security'],
    summary: 'A password, token or key written literally in the definition file.',
    description: [
      'The builder stores the whole definition file inside the image (`/.singularity.d/Singularity`,',
      'the SIF deffile object, `apptainer inspect --deffile`), `%environment` in `/.singularity.d/env`',
      'and labels in `labels.json`. Anyone who can read the image can read a secret written in the',
      'file, even if `%post` deletes it afterwards. Flags secret-looking names (`*_TOKEN`, `*PASSWORD*`,',
      '`*_SECRET*`, `API_KEY`...) assigned literal values, and values shaped like known tokens',
      '(`ghp_...`, `glpat-...`, `AKIA...`, PEM private keys) anywhere in the file.',
      '',
      'Fix: read credentials at build time from a file bound with `--bind` or copied by `%files` and',
      'deleted at the end of `%post`, or from a build secret mechanism of your CI.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    export GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345\n    git clone https://$GITHUB_TOKEN@github.com/org/private.git /opt/src\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%files\n    token.txt /run/token.txt\n\n%post\n    git clone "https://$(cat /run/token.txt)@github.com/org/private.git" /opt/src\n    rm -f /run/token.txt\n',
    source: 'AP-BUILD `insertDefinition`, `assemblers/sif.go`; HL DL3064; AP-BP #5',
    needsShell: true,
    messages: {
      tokenShape: 'This looks like a {{ name }}. The definition file is stored in the image, so anyone with the image can read it.',
      literalVariable: '{{ name }} is set to a literal value. The definition file (and %environment) is stored in the image: the secret ships with it.',
      literalOption: 'A literal {{ option }} on the command line of `{{ command }}` is stored in the image with the definition file.',
      literalLabel: 'Label {{ key }} holds a literal secret; labels are readable with `apptainer inspect`.',
    },
  },
});

/** Secrets in a script's commands: `TOKEN=abc cmd` prefixes and `--password abc` options, in order (kept per commands array). */
const commandSecretsIn = new PerCommands((commands) => {
  const hits: { range: Range; messageId: 'literalVariable' | 'literalOption'; data: MessageData }[] = [];
  for (const cmd of commands) {
    for (const a of cmd.assignments) {
      if (looksLikeSecretName(a.name) && isLiteralSecretValue(a.value)) hits.push({ range: a.range, messageId: 'literalVariable', data: { name: a.name } });
    }
    for (let i = 0; i < cmd.args.length; i++) {
      const arg = cmd.args[i];
      // Both option forms start with `-`: most words are skipped before the expressions.
      if (arg.text.charCodeAt(0) !== 45) continue;
      const inline = /^--?(password|passwd|token|api-key|apikey|secret)=(.+)$/i.exec(arg.text);
      const next = /^--(password|passwd|token|api-key|apikey|secret)$/i.test(arg.text) ? cmd.args[i + 1] : undefined;
      if ((inline && isLiteralSecretValue(inline[2]) && arg.isStatic) || (next && next.isStatic && isLiteralSecretValue(next.text))) {
        hits.push({
          range: (next ?? arg).range,
          messageId: 'literalOption',
          data: { option: (inline?.[1] ?? arg.text.replace(/^-+/, '')).toLowerCase(), command: cmd.name },
        });
      }
    }
  }
  return hits;
});
