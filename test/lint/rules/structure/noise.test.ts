// Every rule survives def-like noise: no rule crashes (the engine turns a crash into an
// "Internal error" finding). Metadata and bad/good examples: test/lint/rule-fixtures.test.ts;
// the real-world corpus: test/lint/corpus.test.ts.
import { describe, expect, it } from 'vitest';
import { lint } from '../../../../src/lint/index.js';

describe('rules on arbitrary input', () => {
  it('never crash on def-like noise', async () => {
    const fc = await import('fast-check');
    const fragment = fc.constantFrom(
      'Bootstrap: docker\n',
      'bootstrap:',
      'From: a\\\n',
      '%post',
      '%files from x\n',
      '%apprun  a\n',
      '\t%post\n',
      '%\n',
      '"\n',
      '{{ A }}',
      '{{ a-b }',
      '# c {{ X }}\n',
      '<<EOF\n',
      'EOF\n',
      '%arguments\nA=1\n',
      'Stage: s\n',
      '\ufeff',
      '\r\n',
      '%labels\nA=b\n',
      'export X=1\n',
      '$@',
      ' ',
      '\n',
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fragment, fc.string()), { maxLength: 30 }), async (parts) => {
        const findings = await lint(parts.join(''), { shellcheck: false, config: { extends: 'strict' } });
        expect(findings.filter((f) => f.message.startsWith('Internal error')).map((f) => f.message)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
