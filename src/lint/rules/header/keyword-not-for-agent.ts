// DEF105 keyword-not-for-agent: A header key the chosen bootstrap agent ignores.
import { knownAgent, AGENT_KEYS, keptEntries } from '../../vocab/header.js';
import { q } from '../../vocab/text.js';
import { deleteFix } from '../../vocab/fixes.js';
import { defineRule } from '../../define-rule.js';
import { entryLines, NO_EFFECT_KEYS } from '../../vocab/header-bootstrap.js';

export const keywordNotForAgent = defineRule({
  create: (ctx) => ({
    stage(stage) {
      const agent = knownAgent(ctx, stage);
      if (!agent) return;
      const allowed = new Set(AGENT_KEYS[agent]);
      for (const entry of keptEntries(stage)) {
        if (entry.key === 'bootstrap' || entry.key === 'stage') continue;
        if ((agent === 'yum' || agent === 'dnf') && entry.key === 'osversion') continue; // DEF108
        const baseKey = /^otherurl\d+$/.test(entry.key) ? 'otherurl' : entry.key;
        if (!NO_EFFECT_KEYS.has(entry.key) && allowed.has(baseKey)) continue;
        const lines = entryLines(ctx, entry);
        ctx.report({
          messageId: NO_EFFECT_KEYS.has(entry.key) ? 'hasNoEffectApptainer' : 'ignoredBootstrap',
          data: { rawKey: q(entry.rawKey), agent },
          range: entry.keyRange,
          suggestions: [deleteFix(`Delete the ${entry.rawKey} line`, lines.start, lines.end)],
        });
      }
    },
  }),
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
    messages: {
      hasNoEffectApptainer: '{{ rawKey }} has no effect: Apptainer accepts it but no code reads it',
      ignoredBootstrap: '{{ rawKey }} is ignored by `Bootstrap: {{ agent }}`',
    },
  },
});
