// DEF314: $APPTAINER_* build variables exist only on Apptainer.
import { shellDetails } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';

const APPTAINER_ONLY = new Set(['APPTAINER_ENVIRONMENT', 'APPTAINER_ROOTFS', 'APPTAINER_LABELS']);

export const envPrefixPortability = defineRule({
  meta: {
    id: 'DEF314',
    slug: 'env-prefix-portability',
    group: 'shell',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`$APPTAINER_ENVIRONMENT`/`_ROOTFS`/`_LABELS` exist only on Apptainer; `$SINGULARITY_*` work on both engines.',
    description: [
      'Apptainer sets both `$APPTAINER_ROOTFS` and `$SINGULARITY_ROOTFS` (likewise `_ENVIRONMENT`,',
      '`_LABELS`) for build scripts; SingularityCE sets only the `SINGULARITY_` names. Using the',
      '`SINGULARITY_` spelling keeps the definition buildable with both.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    echo "export APP_HOME=/opt/app" >> $APPTAINER_ENVIRONMENT\n',
    good: 'Bootstrap: docker\nFrom: alpine:3.20\n\n%post\n    echo "export APP_HOME=/opt/app" >> $SINGULARITY_ENVIRONMENT\n',
    source: 'AP-BUILD (`stage.go` sets both)',
    needsShell: true,
    fixKind: 'safe',
  },
  create(ctx) {
    return {
      script(script) {
        for (const ref of shellDetails(script).variables) {
          if (!APPTAINER_ONLY.has(ref.name)) continue;
          const twin = ref.name.replace(/^APPTAINER_/, 'SINGULARITY_');
          ctx.report({
            message: `$${ref.name} is set only by Apptainer; $${twin} works with Apptainer and SingularityCE.`,
            range: ref.range,
            fix: { description: `Use $${twin}`, edits: [{ start: ref.range.start.offset, end: ref.range.end.offset, text: twin }] },
          });
        }
      },
    };
  },
});
