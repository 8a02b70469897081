// DEF405: extras in unquoted brackets are a shell pattern (issue 13 §4). Shapes from real files:
// `pip install tensorflow[and-cuda]`, `pip install autobahn[twisted]`, `pip install -e .[dev]`.
import { describe, expect, it } from 'vitest';
import { lint } from '../../../../src/lint/index.js';
import { shellCheckVersion } from '../../../../src/lint/shellcheck.js';
import { testRule } from '../../../helpers/rule-tester.js';

const post = (body: string) => `Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n${body.replace(/^/gm, '    ')}\n`;

testRule('DEF405', {
  valid: [
    post("pip install --no-cache-dir 'dask[complete]==2024.8.0'"),
    post('pip install --no-cache-dir "uvicorn[standard]==0.30.1"'),
    post('pip install --no-cache-dir dask\\[complete\\]==2024.8.0'),
    post("python3 -m pip install -e '.[dev]'"),
    post('pip install --no-cache-dir "$PKG[extra]"'),
    post("uv add 'langgraph-cli[inmem]==0.1.52'"),
  ],
  invalid: [
    {
      code: post('pip install --no-cache-dir tensorflow[and-cuda]==2.16.1'),
      errors: [{ messageId: 'extrasUnquoted', line: 5, column: 32, text: 'tensorflow[and-cuda]==2.16.1' }],
    },
    {
      // Unpinned too: both findings, each once.
      code: post('pip3 install autobahn[twisted] numpy'),
      errors: [
        { messageId: 'extrasUnquoted', text: 'autobahn[twisted]' },
        { messageId: 'unpinned', text: 'numpy' },
      ],
    },
    { code: post('python3 -m pip install -e .[dev,test]'), errors: [{ messageId: 'extrasUnquoted', text: '.[dev,test]' }] },
    { code: post('uv pip install --system pydantic[email]==2.7.1'), errors: [{ messageId: 'extrasUnquoted', text: 'pydantic[email]==2.7.1' }] },
    { code: post('pipx install pydoc-markdown[novella]==4.8.2'), errors: [{ messageId: 'extrasUnquoted', text: 'pydoc-markdown[novella]==4.8.2' }] },
  ],
});

describe.skipIf((await shellCheckVersion()) === undefined)('DEF405 and ShellCheck', () => {
  it('one finding for an unquoted requirement with extras: DEF405 wins over SC2102 on the same word', async () => {
    const text = post('pip install --no-cache-dir tensorflow[and-cuda]==2.16.1');
    const all = await lint(text, { shellcheck: true, config: { extends: 'recommended' } });
    const findings = all.filter((f) => !f.suppressed && ['DEF405', 'SC2102'].includes(f.ruleId));
    expect(findings.map((f) => f.ruleId)).toEqual(['DEF405']);
    // ShellCheck does report it on its own (so the drop above is real).
    const alone = await lint(text, { shellcheck: true, config: { extends: 'recommended', rules: { DEF405: 'off' } } });
    expect(alone.filter((f) => f.ruleId === 'SC2102')).toHaveLength(1);
  });
});
