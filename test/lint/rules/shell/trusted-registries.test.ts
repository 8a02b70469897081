// DEF509: registry patterns in `trustedRegistries` (`*` within a segment, `**` across).
import { describe, expect, it } from 'vitest';
import { lint } from '../../../../src/lint/index.js';

async function untrusted(from: string, trustedRegistries: string[]): Promise<boolean> {
  const text = `Bootstrap: docker\nFrom: ${from}\n`;
  const findings = await lint(text, { shellcheck: false, config: { extends: 'recommended', trustedRegistries, rules: { DEF509: 'warning' } } });
  return findings.some((f) => f.ruleId === 'DEF509');
}

describe('trusted registry patterns', () => {
  it('matches hosts exactly, and * within one segment', async () => {
    expect(await untrusted('ghcr.io/org/tool:1.0', ['ghcr.io'])).toBe(false);
    expect(await untrusted('reg.example.org/tool:1.0', ['*.example.org'])).toBe(false);
    expect(await untrusted('example.org.evil.com/tool:1.0', ['*.example.org'])).toBe(true);
    expect(await untrusted('quay.io/tool:1.0', ['ghcr.io', 'docker.io'])).toBe(true);
  });

  it('treats images without a host as docker.io', async () => {
    expect(await untrusted('ubuntu:22.04', ['docker.io'])).toBe(false);
    expect(await untrusted('org/tool:1', ['ghcr.io'])).toBe(true);
  });

  it('takes dots literally and ** across path segments', async () => {
    expect(await untrusted('ghcrxio.example.com/tool:1', ['ghcr.io*'])).toBe(true);
    expect(await untrusted('ghcr.io.example.com/tool:1', ['ghcr.io*'])).toBe(false);
  });
});
