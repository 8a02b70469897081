// Shared by the security rules (DEF501, DEF502: secrets written into the definition, which is stored inside the image).

/**
 * Token shapes that are secrets whatever they are called. `marks`: text every match contains (one
 * of them), so a file holding none of them is not searched with the expression (most files).
 */
export const SECRET_SHAPES: { name: string; pattern: RegExp; marks: string[] }[] = [
  { name: 'GitHub token', pattern: /\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b/g, marks: ['gh', 'github_pat_'] },
  { name: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/g, marks: ['glpat-'] },
  { name: 'AWS access key id', pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, marks: ['AKIA', 'ASIA'] },
  { name: 'Slack token', pattern: /\bxox[baprs]-[A-Za-z0-9-]{10,}\b/g, marks: ['xox'] },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g, marks: ['AIza'] },
  {
    name: 'private key',
    pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY( BLOCK)?-----/g,
    marks: ['-----BEGIN '],
  },
  { name: 'Hugging Face token', pattern: /\bhf_[A-Za-z0-9]{34,}\b/g, marks: ['hf_'] },
];

/** Values that are settings, not secrets (`AUTH=none`, `PASSWORD_AUTH=yes`). */
export function isLiteralSecretValue(value: string): boolean {
  const v = value.trim().replace(/^["']|["']$/g, '');
  if (v.length < 4) return false;
  if (/^(true|false|yes|no|none|null|off|on|disabled?|enabled?|required|optional|changeme|xxx+|\*+)$/i.test(v)) return false;
  if (/[$`]|\{\{/.test(v)) return false; // expands something: not a literal
  return true;
}
