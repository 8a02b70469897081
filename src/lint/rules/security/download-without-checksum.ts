// DEF504 download-without-checksum: An archive or binary is downloaded and used with no checksum or signature check.
import { isCurlOrWget, optionValue, pipesInto, runsAtBuild } from '../../shell/index.js';
import { defineRule } from '../../define-rule.js';
import { INTERPRETERS, ARTIFACT, verifiedLater, verifiesSomething } from '../../vocab/security-downloads.js';
import { resolvedUrls, resolverFor, type Resolver } from '../../vocab/shell-values.js';

export const downloadWithoutChecksum = defineRule({
  create(ctx) {
    // Scripts with no check at all are known once per script, not once per command. A download is
    // covered only by a check after it that is about it (an `rpm -i` is no check at all).
    let verifies = false;
    let resolve: Resolver = () => undefined;
    return {
      script(script) {
        verifies = runsAtBuild(script.section) && verifiesSomething(script);
        resolve = resolverFor(ctx, script);
      },
      command(cmd, script) {
        if (!runsAtBuild(script.section)) return;
        if (!isCurlOrWget(cmd) || pipesInto(cmd, ...INTERPRETERS)) return; // DEF503 covers pipes into shells
        const artifact = resolvedUrls(cmd, resolve).find((u) => ARTIFACT.test(u.text));
        if (!artifact) return;
        // The file as saved: `-o`/`-O` names it, else the URL's last segment.
        const option = optionValue(cmd, cmd.baseName === 'curl' ? '-o' : '-O') ?? optionValue(cmd, cmd.baseName === 'curl' ? '--output' : '--output-document');
        const saved = option === undefined ? undefined : (resolve(option, cmd.range.start.offset) ?? option);
        const fileName = (saved ?? artifact.text.replace(/[?#].*$/, '')).split('/').pop() ?? '';
        if (verifies && verifiedLater(script, cmd, fileName)) return;
        const shown = artifact.text === artifact.word.text ? artifact.text : `${artifact.word.text} (${artifact.text})`;
        ctx.report({ messageId: 'downloadedWithoutChecksumSignature', data: { artifact: shown }, range: artifact.word.range });
      },
    };
  },
  meta: {
    id: 'DEF504',
    slug: 'download-without-checksum',
    group: 'security',
    scope: 'section',
    defaultSeverity: 'info',
    presets: ['recommended', 'security'],
    summary: 'An archive or binary is downloaded and used with no checksum or signature check.',
    description: [
      'A download that is not verified can be swapped or corrupted without anyone noticing, and the',
      'image silently changes. Check a known digest (`echo "<sha256>  file" | sha256sum -c -`) or a',
      'signature (`gpg --verify`) in the same section.',
      '',
      'URLs built from variables assigned earlier in the script (`VER=1.2; wget .../tool-$VER.tar.gz`)',
      'or from `{{ }}` build arguments with a default are resolved, so the file they download is known.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    curl -fsSLO https://example.org/tool-1.0.tar.gz\n    tar -xzf tool-1.0.tar.gz -C /opt\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    curl -fsSLO https://example.org/tool-1.0.tar.gz\n    echo "4f9a3c0e1f7a2b5d6c8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9012345678a  tool-1.0.tar.gz" | sha256sum -c -\n    tar -xzf tool-1.0.tar.gz -C /opt\n',
    source: 'supply-chain practice',
    needsShell: true,
    messages: {
      downloadedWithoutChecksumSignature: '{{ artifact }} is downloaded without a checksum or signature check in this section.',
    },
  },
});
