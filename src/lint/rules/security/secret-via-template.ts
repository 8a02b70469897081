// DEF502 secret-via-template: A `{{ SECRET }}` build argument: its value is stored in the image with the definition.
import { looksLikeSecretName } from '../../vocab/shell-commands.js';
import { defineRule } from '../../define-rule.js';

export const secretViaTemplate = defineRule({
  create: (ctx) => ({
    chunk(stage) {
      for (const p of stage.placeholders) {
        if (p.skipped || !looksLikeSecretName(p.name)) continue;
        ctx.report({
          messageId: 'looksLikeSecretSubstituted',
          data: { placeholder: `{{ ${p.name} }}` },
          range: p.range,
        });
      }
    },
  }),
  meta: {
    id: 'DEF502',
    slug: 'secret-via-template',
    group: 'security',
    defaultSeverity: 'warning',
    presets: ['recommended', 'security'],
    summary: 'A `{{ SECRET }}` build argument: its value is stored in the image with the definition.',
    description: [
      'The definition stored in the image is the text after `{{ }}` substitution, so a token passed',
      'with `--build-arg TOKEN=...` can be read back with `apptainer inspect --deffile`. Pass secrets',
      'through a file instead: bind it at build time (`--bind`) or copy it with `%files` and delete',
      'it at the end of `%post`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    wget --header "Authorization: Bearer {{ API_TOKEN }}" https://example.org/data.tar.gz\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%files\n    token.txt /run/token.txt\n\n%post\n    wget --header "Authorization: Bearer $(cat /run/token.txt)" https://example.org/data.tar.gz\n    rm -f /run/token.txt\n',
    source: 'AP-BUILD `MakeAllDefs` + `insertDefinition`',
    messages: {
      looksLikeSecretSubstituted:
        '{{ placeholder }} looks like a secret: the substituted definition is stored in the image, so its value can be read back with `apptainer inspect --deffile`.',
    },
  },
});
