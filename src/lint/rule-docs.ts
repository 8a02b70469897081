// Rule documentation rendered from metadata: docs/rules/<ID>.md, `apptainer-gen explain`,
// SARIF help and editor hovers all use the same text.
import type { Rule } from './types.js';

export const RULE_DOCS_BASE_URL = 'https://github.com/apptainer-gen/apptainer-gen/blob/main/docs/rules/';

export function ruleDocsUrl(ruleId: string): string {
  return /^SC\d{4}$/i.test(ruleId) ? shellCheckDocsUrl(ruleId) : `${RULE_DOCS_BASE_URL}${ruleId}.md`;
}

export function shellCheckDocsUrl(code: string): string {
  return `https://www.shellcheck.net/wiki/${code.toUpperCase()}`;
}

const PRESET_TEXT: Record<string, string> = {
  recommended: 'recommended',
  hpc: 'hpc',
  security: 'security',
  strict: 'strict',
};

function fence(code: string): string {
  const body = code.endsWith('\n') ? code : code + '\n';
  return '```singularity\n' + body + '```';
}

/** Markdown page of a rule. Deterministic: the committed docs are compared against it. */
export function renderRuleDoc(rule: Rule): string {
  const { meta } = rule;
  const presets = [...new Set([...(meta.defaultSeverity === 'off' && !meta.presets.includes('recommended') ? [] : ['recommended']), ...meta.presets, 'strict'])]
    .map((preset) => PRESET_TEXT[preset] ?? preset)
    .map((preset) => `\`${preset}\``)
    .join(', ');
  const lines = [
    `# ${meta.id} ${meta.slug}`,
    '',
    meta.summary,
    '',
    '| | |',
    '|---|---|',
    `| Group | ${meta.group} |`,
    `| Default severity | ${meta.defaultSeverity} |`,
    `| Presets | ${presets} |`,
    `| Fix | ${meta.fixKind ?? 'none'} |`,
    `| Needs shell parsing | ${meta.needsShell ? 'yes' : 'no'} |`,
    '',
    '## Why',
    '',
    meta.description.trim(),
    '',
    '## Flagged',
    '',
    fence(meta.bad),
    '',
    '## Accepted',
    '',
    fence(meta.good),
    '',
  ];
  const messages = Object.entries(meta.messages);
  if (messages.length > 0) {
    lines.push('## Messages', '', '| Id | Message |', '|---|---|');
    for (const [id, text] of messages) lines.push(`| \`${id}\` | ${text.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`);
    lines.push('');
  }
  if (meta.optionsSchema) {
    lines.push('## Options', '', '```json', JSON.stringify(meta.optionsSchema, null, 2), '```', '');
  }
  lines.push(
    '## Configuration',
    '',
    '```yaml',
    '# .apptainer-lint.yaml',
    'rules:',
    `  ${meta.slug}: ${meta.defaultSeverity === 'off' ? 'warning' : 'off'}   # or ${meta.id}`,
    '```',
    '',
    `Suppress one occurrence with \`# apptainer-lint ignore=${meta.id} -- reason\` on the line before it.`,
    '',
    '## Source',
    '',
    meta.source.trim(),
    '',
  );
  return lines.join('\n');
}

/** Plain-text rendering for the terminal (`apptainer-gen explain`). */
export function renderRuleText(rule: Rule): string {
  return renderRuleDoc(rule) + `\nOnline: ${ruleDocsUrl(rule.meta.id)}\n`;
}

/** docs/rules/README.md: the catalogue as a table. */
export function renderRuleIndex(rules: readonly Rule[]): string {
  const lines = [
    '# Lint rules',
    '',
    'Generated from rule metadata by `npm run docs:rules`; do not edit by hand.',
    'Rules are named by id or slug everywhere (configuration, pragmas, `--rule`, `explain`).',
    '',
    '| ID | Slug | Group | Default | Fix | Summary |',
    '|---|---|---|---|---|---|',
  ];
  for (const { meta } of rules) {
    lines.push(
      `| [${meta.id}](${meta.id}.md) | \`${meta.slug}\` | ${meta.group} | ${meta.defaultSeverity} | ${meta.fixKind ?? ''} | ${meta.summary.replace(/\|/g, '\\|')} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

const TABLE_START = /^<!-- rule-table groups=([a-z,]+) -->$/;
const TABLE_END = '<!-- /rule-table -->';

/** The rule table of the given groups, as the hand-written docs embed it. */
export function renderRuleTable(rules: readonly Rule[], groups: readonly string[]): string {
  const chosen = rules.filter((rule) => groups.includes(rule.meta.group)).sort((a, b) => a.meta.id.localeCompare(b.meta.id));
  const lines = ['| ID | Slug | Group | Default | Presets | Fix | Summary |', '|---|---|---|---|---|---|---|'];
  for (const { meta } of chosen) {
    const presets = meta.presets.length > 0 ? meta.presets.join(', ') : '—';
    lines.push(
      `| [${meta.id}](rules/${meta.id}.md) | \`${meta.slug}\` | ${meta.group} | ${meta.defaultSeverity} | ${presets} | ${meta.fixKind ?? '—'} | ${meta.summary.replace(/\|/g, '\\|')} |`,
    );
  }
  lines.push('', `${chosen.length} rules.`);
  return lines.join('\n');
}

/**
 * A docs page with every `<!-- rule-table groups=a,b -->` … `<!-- /rule-table -->` block
 * regenerated from the metadata (`npm run docs:rules`), so tables in docs/*.md never drift.
 */
export function renderRuleTables(markdown: string, rules: readonly Rule[]): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    out.push(lines[i]);
    const start = TABLE_START.exec(lines[i]);
    if (!start) continue;
    const end = lines.indexOf(TABLE_END, i + 1);
    if (end === -1) throw new Error(`rule table opened on line ${i + 1} is not closed by ${TABLE_END}`);
    out.push(renderRuleTable(rules, start[1].split(',')), TABLE_END);
    i = end;
  }
  return out.join('\n');
}
