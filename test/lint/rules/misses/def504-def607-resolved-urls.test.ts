// DEF504 / DEF607: URLs, output names and `rm` targets built from `$VAR` assigned earlier in the
// script or from `{{ }}` build arguments are resolved (issue 13 §4). Shapes from real files:
// `VERSION=2.5.0; wget https://.../tool-${VERSION}.tar.gz`, `wget $URL` with URL set above, and a
// `%arguments` default for the version.
import { describe, expect, it } from 'vitest';
import { resolverFor } from '../../../../src/lint/vocab/shell-values.js';
import { parseShellScripts } from '../../../../src/lint/shell/index.js';
import { parse } from '../../../../src/parse/index.js';
import { testRule } from '../../../helpers/rule-tester.js';

const post = (body: string, before = '') => `Bootstrap: docker\nFrom: ubuntu:22.04\n\n${before}%post\n${body.replace(/^/gm, '    ')}\n`;

describe('resolverFor', () => {
  const resolveIn = async (text: string, raw: string, at?: number) => {
    const file = parse(text);
    const [script] = await parseShellScripts(file);
    const ctx = { templateValue: (_stage: unknown, name: string) => (name === 'VER' ? '3.1' : undefined) };
    return resolverFor(ctx as never, script)(raw, at ?? text.length);
  };
  it('fills variables assigned earlier, defaults, placeholders and quotes', async () => {
    const text = post('BASE=https://example.org/dl\nNAME="tool-1.2"\nFILE=${NAME}.tar.gz');
    expect(await resolveIn(text, '"$BASE/${FILE}"')).toBe('https://example.org/dl/tool-1.2.tar.gz');
    expect(await resolveIn(text, '${MISSING:-x}-{{ VER }}')).toBe('x-3.1');
    expect(await resolveIn(text, "'$BASE'")).toBe('$BASE');
  });
  it('is unknown before the assignment, for the environment, in loops and for substitutions', async () => {
    const text = post('wget $URL\nURL=https://example.org/a.tar.gz\nfor V in 1 2; do echo $V; done\nD=$(date)');
    expect(await resolveIn(text, '$URL', text.indexOf('wget'))).toBeUndefined();
    expect(await resolveIn(text, '$URL')).toBe('https://example.org/a.tar.gz');
    expect(await resolveIn(text, '$HOME')).toBeUndefined();
    expect(await resolveIn(text, '$V')).toBeUndefined();
    expect(await resolveIn(text, '$D')).toBeUndefined();
    expect(await resolveIn(text, '{{ OTHER }}')).toBeUndefined();
  });
});

testRule('DEF504', {
  valid: [
    // The check names the resolved file.
    post(
      'VER=1.2.0\nwget -q https://example.org/tool-$VER.tar.gz\necho "4f9a3c0e1f7a2b5d6c8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9012345678a  tool-1.2.0.tar.gz" | sha256sum -c -',
    ),
    // Not an artifact once resolved.
    post('PAGE=https://example.org/index.html\ncurl -fsSL "$PAGE" -o /dev/null'),
    // Unknown: no finding from a guess.
    post('wget -q "$TOOL_URL"'),
  ],
  invalid: [
    {
      code: post('URL=https://example.org/releases/tool-2.0.tar.gz\nwget -q $URL\ntar xf tool-2.0.tar.gz -C /opt'),
      errors: [
        {
          messageId: 'downloadedWithoutChecksumSignature',
          line: 6,
          text: '$URL',
          message: /^\$URL \(https:\/\/example\.org\/releases\/tool-2\.0\.tar\.gz\) is downloaded/,
        },
      ],
    },
    {
      code: post('wget -q https://example.org/tool-{{ VERSION }}.run', '%arguments\n    VERSION=4.2\n\n'),
      errors: [{ messageId: 'downloadedWithoutChecksumSignature', message: /\(https:\/\/example\.org\/tool-4\.2\.run\)/ }],
    },
  ],
});

testRule('DEF607', {
  valid: [
    post('cd /opt\nVER=1.2.0\nwget -q https://example.org/tool-${VER}.tar.gz\ntar xf tool-${VER}.tar.gz\nrm -f tool-$VER.tar.gz'),
    post('SRC=/opt/src\nmkdir -p $SRC && cd $SRC\nwget -q https://example.org/tool-1.0.tar.gz\ncd /\nrm -rf $SRC'),
    // Into /tmp once resolved: never stored.
    post('DL=/tmp/dl\nwget -q -P "$DL" https://example.org/tool-1.0.tar.gz'),
  ],
  invalid: [
    {
      code: post('cd /opt\nVER=1.2.0\nwget -q https://example.org/tool-${VER}.tar.gz\ntar xf tool-${VER}.tar.gz'),
      errors: [{ messageId: 'downloadedNeverDeletedStays', line: 7, message: /^tool-1\.2\.0\.tar\.gz is downloaded to \/opt\/tool-1\.2\.0\.tar\.gz/ }],
    },
    {
      code: post('cd {{ PREFIX }}\nwget -q https://example.org/lib-{{ V }}.tar.gz', '%arguments\n    PREFIX=/opt\n    V=3\n\n'),
      errors: [{ messageId: 'downloadedNeverDeletedStays', message: /lib-3\.tar\.gz is downloaded to \/opt\/lib-3\.tar\.gz/ }],
    },
  ],
});
