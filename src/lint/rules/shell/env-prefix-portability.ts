// DEF314: legacy `$SINGULARITY_*` build variables; Apptainer's own names are `$APPTAINER_*`.
import { shellDetails } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';

export const envPrefixPortability = defineRule({
  create: (ctx) => ({
    script(script) {
      const legacy = shellDetails(script).variables.filter((ref) => LEGACY.has(ref.name));
      if (legacy.length === 0) return;
      const names = [...new Set(legacy.map((ref) => ref.name))];
      const more = legacy.length > 1 ? ` (${legacy.length} uses in this section)` : '';
      ctx.report({
        messageId: names.length > 1 ? 'legacyNames' : 'legacyName',
        data: {
          names: names.map((name) => `$${name}`).join(', '),
          apptainer: names.map((name) => `$${name.replace(/^SINGULARITY_/, 'APPTAINER_')}`).join(', '),
          more,
        },
        range: legacy[0].range,
        fix: {
          description: 'Use the $APPTAINER_ names',
          edits: legacy.map((ref) => ({ start: ref.range.start.offset, end: ref.range.end.offset, text: ref.name.replace(/^SINGULARITY_/, 'APPTAINER_') })),
        },
      });
    },
  }),
  meta: {
    id: 'DEF314',
    slug: 'env-prefix-portability',
    group: 'shell',
    scope: 'section',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: 'Legacy `$SINGULARITY_ENVIRONMENT`/`_ROOTFS`/`_LABELS` in a build script; Apptainer names them `$APPTAINER_*`.',
    description: [
      'Apptainer sets `$APPTAINER_ROOTFS`, `$APPTAINER_ENVIRONMENT` and `$APPTAINER_LABELS` for build',
      'scripts, and keeps the `SINGULARITY_` names only for compatibility with old definitions. Use the',
      '`APPTAINER_` names. The fix renames every legacy use in the section at once; one finding per',
      'section, at the first use.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    echo "export APP_HOME=/opt/app" >> $SINGULARITY_ENVIRONMENT\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    echo "export APP_HOME=/opt/app" >> $APPTAINER_ENVIRONMENT\n',
    source:
      'AP-BUILD (`stage.go` sets both names); Apptainer user guide, "Singularity Compatibility" (https://apptainer.org/docs/user/1.0/singularity_compatibility.html)',
    needsShell: true,
    fixKind: 'safe',
    messages: {
      legacyName: "{{ names }} is the legacy name; Apptainer's is {{ apptainer }}{{ more }}.",
      legacyNames: "{{ names }} are legacy names; Apptainer's is {{ apptainer }}{{ more }}.",
    },
  },
});

const LEGACY = new Set(['SINGULARITY_ENVIRONMENT', 'SINGULARITY_ROOTFS', 'SINGULARITY_LABELS']);
