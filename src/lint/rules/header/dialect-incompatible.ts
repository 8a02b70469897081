// DEF110 dialect-incompatible: A header key that only Apptainer (not SingularityCE) accepts.
import { isKeptEntry } from '../../vocab/header.js';
import { q } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { APPTAINER_ONLY_KEYS } from '../../vocab/header-bootstrap.js';

export const dialectIncompatible = defineRule({
  create(ctx) {
    const targets = Array.isArray(ctx.options.targets) ? (ctx.options.targets as string[]) : ['apptainer', 'singularityce'];
    if (!targets.includes('singularityce')) return {};
    return {
      headerEntry(entry) {
        if (!isKeptEntry(entry) || !APPTAINER_ONLY_KEYS.has(entry.key)) return;
        ctx.report({ messageId: 'apptainerOnlyHeaderKey', data: { rawKey: q(entry.rawKey) }, range: entry.keyRange });
      },
    };
  },
  meta: {
    id: 'DEF110',
    slug: 'dialect-incompatible',
    group: 'header',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: 'A header key that only Apptainer (not SingularityCE) accepts.',
    description: [
      "`Target`, `Frontend`, `Filename`, `BuildArgs` and `ConfURL` are in Apptainer's list of header keys but not in",
      "SingularityCE's, which rejects the file. The rule applies when the `targets` option includes",
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
    messages: {
      apptainerOnlyHeaderKey: '{{ rawKey }} is an Apptainer-only header key: SingularityCE rejects the file',
    },
  },
});
