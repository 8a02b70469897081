// SECRET_SHAPES: a file is searched with a shape's expression only when it holds one of the
// shape's marks, so every token the expression matches must contain one of them.
import { describe, expect, it } from 'vitest';
import { SECRET_SHAPES } from '../../../src/lint/vocab/security-secrets.js';
import { lint } from '../../../src/lint/index.js';

// One token per alternative of each expression (made up: none of them is a real credential).
const TOKENS: Record<string, string[]> = {
  'GitHub token': [`ghp_${'a1'.repeat(18)}`, `ghs_${'B2'.repeat(20)}`, `github_pat_${'c_3'.repeat(21)}`],
  'GitLab token': [`glpat-${'x-Y_'.repeat(6)}`],
  'AWS access key id': ['AKIA0123456789ABCDEF', 'ASIA0123456789ABCDEF'],
  'Slack token': ['xoxb-0123456789-abc', 'xoxp-abcdefghij'],
  'Google API key': [`AIza${'0a_-B'.repeat(7)}`],
  'private key': ['-----BEGIN PRIVATE KEY-----', '-----BEGIN OPENSSH PRIVATE KEY-----', '-----BEGIN PGP PRIVATE KEY BLOCK-----'],
  'Hugging Face token': [`hf_${'Ab1'.repeat(12)}`],
};

describe('SECRET_SHAPES marks', () => {
  it('every shape has tokens here, and each token it matches holds one of its marks', () => {
    expect(Object.keys(TOKENS).sort()).toEqual(SECRET_SHAPES.map((shape) => shape.name).sort());
    for (const { name, pattern, marks } of SECRET_SHAPES) {
      for (const token of TOKENS[name]) {
        const found = [...` ${token} `.matchAll(pattern)].map((m) => m[0]);
        expect(found, `${name}: ${token}`).toEqual([token]);
        expect(
          marks.some((mark) => token.includes(mark)),
          `${name}: ${token}`,
        ).toBe(true);
      }
    }
  });

  it('DEF501 still reports each token shape in a file', async () => {
    for (const [name, tokens] of Object.entries(TOKENS)) {
      const text = `Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    echo "${tokens[0]}" > /opt/x\n`;
      const findings = await lint(text, { shellcheck: false });
      expect(
        findings.some((f) => f.ruleId === 'DEF501' && f.message.includes(name)),
        name,
      ).toBe(true);
    }
  });
});
