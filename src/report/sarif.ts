// `--format sarif`: SARIF 2.1.0 for code-scanning platforms. Columns are UTF-16 code units
// (`columnKind`), like LSP. Suppressed findings are kept with `suppressions`; safe fixes become
// `fixes[].artifactChanges`; rule metadata with help links goes into `tool.driver.rules`.
import { createHash } from 'node:crypto';
import { lineIndexAt } from '../parse/text.js';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Rule, Severity } from '../lint/types.js';
import { findRule } from '../lint/registry.js';
import { ruleDocsUrl } from '../lint/rule-docs.js';
import type { FileResult, Formatter } from './types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', style: 'note' };
const INFORMATION_URI = 'https://github.com/apptainer-gen/apptainer-gen';

function pascalCase(slug: string): string {
  return slug.replace(/(^|-)([a-z0-9])/g, (_, __, letter: string) => letter.toUpperCase());
}

function descriptor(ruleId: string, rule: Rule | undefined): Record<string, unknown> {
  if (!rule) {
    return {
      id: ruleId,
      name: ruleId,
      shortDescription: { text: `ShellCheck ${ruleId}` },
      helpUri: ruleDocsUrl(ruleId),
      properties: { tags: ['shell', 'shellcheck'] },
    };
  }
  const { meta } = rule;
  const tags: string[] = [meta.group];
  const properties: Record<string, unknown> = { tags, precision: 'high' };
  if (meta.group === 'security' || meta.presets.includes('security')) {
    if (!tags.includes('security')) tags.push('security');
    properties['security-severity'] = meta.defaultSeverity === 'error' ? '8.0' : meta.defaultSeverity === 'warning' ? '5.0' : '3.0';
  }
  return {
    id: meta.id,
    name: pascalCase(meta.slug),
    shortDescription: { text: meta.summary },
    fullDescription: { text: meta.description },
    helpUri: ruleDocsUrl(meta.id),
    help: { text: `${meta.summary} See ${ruleDocsUrl(meta.id)}`, markdown: `${meta.description}\n\n[Documentation](${ruleDocsUrl(meta.id)})` },
    defaultConfiguration: meta.defaultSeverity === 'off' ? { enabled: false, level: 'warning' } : { level: LEVEL[meta.defaultSeverity] },
    properties,
  };
}

/** Line starts of a text, for converting fix offsets to regions. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function offsetRegion(starts: number[], start: number, end: number): Record<string, number> {
  const locate = (offset: number) => {
    const line = lineIndexAt(starts, offset);
    return { line: line + 1, column: offset - starts[line] + 1 };
  };
  const from = locate(start);
  const to = locate(end);
  return { startLine: from.line, startColumn: from.column, endLine: to.line, endColumn: to.column, charOffset: start, charLength: end - start };
}

function artifactLocation(path: string): Record<string, string> {
  if (isAbsolute(path)) return { uri: pathToFileURL(path).href };
  return { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function fingerprint(result: FileResult, finding: Finding, seen: Map<string, number>): string {
  const start = result.text.lastIndexOf('\n', finding.range.start.offset - 1) + 1;
  const lineEnd = result.text.indexOf('\n', finding.range.start.offset);
  const lineText = result.text
    .slice(start, lineEnd === -1 ? undefined : lineEnd)
    .replace(/\s+/g, ' ')
    .trim();
  const key = `${finding.ruleId}\u0000${lineText}`;
  // Identical lines with the same rule get an occurrence number so fingerprints stay distinct.
  const occurrence = (seen.get(key) ?? 0) + 1;
  seen.set(key, occurrence);
  return createHash('sha256').update(`${key}\u0000${occurrence}`).digest('hex').slice(0, 32);
}

export const format: Formatter = (results, options) => {
  const ruleIds: string[] = [];
  const ruleIndex = new Map<string, number>();
  const indexOf = (ruleId: string) => {
    let index = ruleIndex.get(ruleId);
    if (index === undefined) {
      index = ruleIds.push(ruleId) - 1;
      ruleIndex.set(ruleId, index);
    }
    return index;
  };

  const sarifResults: Record<string, unknown>[] = [];
  const notifications: Record<string, unknown>[] = [];
  for (const result of results) {
    if (result.error) {
      notifications.push({
        level: 'error',
        message: { text: result.error },
        locations: [{ physicalLocation: { artifactLocation: artifactLocation(result.path) } }],
      });
    }
    const starts = lineStarts(result.text);
    const seen = new Map<string, number>();
    for (const finding of result.findings) {
      const { start, end } = finding.range;
      const location = artifactLocation(result.path);
      const entry: Record<string, unknown> = {
        ruleId: finding.ruleId,
        ruleIndex: indexOf(finding.ruleId),
        level: LEVEL[finding.severity],
        message: { text: finding.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: location,
              region: {
                startLine: start.line,
                startColumn: start.character + 1,
                endLine: end.line,
                endColumn: end.character + 1,
                charOffset: start.offset,
                charLength: end.offset - start.offset,
              },
            },
          },
        ],
        partialFingerprints: { 'apptainer-lint/v1': fingerprint(result, finding, seen) },
      };
      if (finding.fix) {
        entry.fixes = [
          {
            description: { text: finding.fix.description },
            artifactChanges: [
              {
                artifactLocation: location,
                replacements: finding.fix.edits.map((edit) => ({
                  deletedRegion: offsetRegion(starts, edit.start, edit.end),
                  insertedContent: { text: edit.text },
                })),
              },
            ],
          },
        ];
      }
      if (finding.suppressed) {
        entry.suppressions = [
          { kind: finding.suppressed.kind, ...(finding.suppressed.justification ? { justification: finding.suppressed.justification } : {}) },
        ];
      }
      sarifResults.push(entry);
    }
  }

  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'apptainer-lint',
            version: options.version,
            semanticVersion: options.version,
            informationUri: INFORMATION_URI,
            rules: ruleIds.map((id) => descriptor(id, findRule(id))),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(process.cwd()).href + '/' } },
        columnKind: 'utf16CodeUnits',
        invocations: [{ executionSuccessful: notifications.length === 0, toolExecutionNotifications: notifications }],
        results: sarifResults,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
};
