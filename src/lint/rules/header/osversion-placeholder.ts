// DEF108 osversion-placeholder: `%{OSVERSION}` in a mirror URL without `OSVersion`, or `OSVersion` that yum never uses.
import type { HeaderEntry } from '../../../parse/model.js';
import { knownAgent, lastEntry } from '../../vocab/header.js';
import { q } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';
import { OSVERSION_MACRO } from '../../vocab/header-bootstrap.js';

export const osversionPlaceholder = defineRule({
  create: (ctx) => ({
    stage(stage) {
      const agent = knownAgent(ctx, stage);
      if (agent !== 'yum' && agent !== 'dnf' && agent !== 'zypper') return;
      const urls = ['mirrorurl', 'updateurl'].map((key) => lastEntry(stage, key)).filter((entry): entry is HeaderEntry => entry !== undefined);
      const usingMacro = urls.filter((entry) => OSVERSION_MACRO.test(entry.value));
      const osversion = lastEntry(stage, 'osversion');
      if (usingMacro.length > 0 && (!osversion || osversion.value === '')) {
        for (const entry of usingMacro) {
          ctx.report({ messageId: 'osversionMissing', data: { rawKey: q(entry.rawKey) }, range: entry.valueRange });
        }
      } else if (usingMacro.length === 0 && osversion && agent !== 'zypper') {
        ctx.report({
          messageId: 'osversionUnused',
          data: { agent },
          range: osversion.keyRange,
          severity: 'info',
        });
      }
    },
  }),
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
    messages: {
      osversionMissing: '{{ rawKey }} uses %{OSVERSION} but the header has no `OSVersion:`: the build fails',
      osversionUnused:
        '`OSVersion` is only used to fill %{OSVERSION} in MirrorURL/UpdateURL, and neither contains it: it has no effect with `Bootstrap: {{ agent }}`',
    },
  },
});
