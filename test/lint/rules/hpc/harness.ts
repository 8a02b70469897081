// Lints a def-file text with only the given rules switched on (plus the recommended preset, whose
// other findings are filtered out), and describes findings by the text they cover.
import { lint, type Finding } from '../../../../src/lint/index.js';

export async function findings(text: string, ...ids: string[]): Promise<Finding[]> {
  const rules = Object.fromEntries(ids.map((id) => [id, 'warning' as const]));
  const all = await lint(text, { filename: 'test.def', shellcheck: false, config: { extends: 'recommended', rules } });
  const crashes = all.filter((f) => f.message.startsWith('Internal error'));
  if (crashes.length > 0) throw new Error(crashes[0].message);
  return all.filter((f) => ids.includes(f.ruleId));
}

/** `line:col id "covered text"` for each finding. */
export function describe(text: string, list: Finding[]): string[] {
  return list.map((f) => `${f.range.start.line}:${f.range.start.column} ${f.ruleId} ${JSON.stringify(text.slice(f.range.start.offset, f.range.end.offset))}`);
}

/** A def file with one `%post` (or other) section holding `body` lines. */
export function def(body: string, section = 'post', from = 'ubuntu:22.04'): string {
  const indented = body
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n');
  return `Bootstrap: docker\nFrom: ${from}\n\n%${section}\n${indented}\n`;
}
