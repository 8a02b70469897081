// Hover, completion, document symbols and folding, computed from the parsed model.
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  type CompletionItem,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type Range as LspRange,
} from 'vscode-languageserver';
import type { ParsedFile, Range, Section, Stage } from '../parse/model.js';
import { allRules, findRule } from '../lint/registry.js';
import { renderRuleDoc, ruleDocsUrl } from '../lint/rule-docs.js';
import {
  AGENT_DOCS,
  HEADER_KEY_DOCS,
  SECTION_DOCS,
  agentDoc,
  agentMarkdown,
  headerKeyDoc,
  headerKeyMarkdown,
  sectionDoc,
  sectionMarkdown,
} from './knowledge.js';

export function toLspRange(range: Range): LspRange {
  return {
    start: { line: range.start.line - 1, character: range.start.character },
    end: { line: range.end.line - 1, character: range.end.character },
  };
}

function contains(range: Range, offset: number): boolean {
  return range.start.offset <= offset && offset <= range.end.offset;
}

/** The stage whose text holds the offset (the last one starting at or before it). */
export function stageAt(file: ParsedFile, offset: number): Stage | undefined {
  let found: Stage | undefined;
  for (const stage of file.stages) {
    if (stage.range.start.offset <= offset) found = stage;
    else break;
  }
  return found;
}

/** The text of the line holding `offset`, and where it starts. */
function lineAround(text: string, offset: number): { start: number; text: string } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  const line = text.slice(start, end);
  return { start, text: line.endsWith('\r') ? line.slice(0, -1) : line };
}

const PRAGMA = /#[ \t]*apptainer-lint\b/i;

// ---- hover ----------------------------------------------------------------------------------

export function hoverAt(file: ParsedFile, offset: number): Hover | null {
  const stage = stageAt(file, offset);
  if (stage) {
    for (const entry of stage.header ?? []) {
      if (contains(entry.keyRange, offset)) {
        const doc = headerKeyDoc(entry.key);
        const value = doc
          ? headerKeyMarkdown(doc)
          : `**\`${entry.rawKey}\`** is not a header key Apptainer accepts: the build fails with \`invalid header keyword found: ${entry.key}\`.`;
        return markdown(value, entry.keyRange);
      }
      if (entry.key === 'bootstrap' && contains(entry.valueRange, offset)) {
        const doc = agentDoc(entry.value);
        const value = doc
          ? agentMarkdown(doc)
          : `\`${entry.value}\` is not a bootstrap agent Apptainer knows (names are case-sensitive). Known agents: ${AGENT_DOCS.map((a) => `\`${a.name}\``).join(', ')}.`;
        return markdown(value, entry.valueRange);
      }
    }
    for (const section of stage.sections) {
      if (contains(section.nameRange, offset)) {
        const doc = sectionDoc(section.name);
        const value = doc
          ? sectionMarkdown(doc) + (section.app ? `\n\nApp: \`${section.app}\`` : '')
          : `\`%${section.word}\` is not a section Apptainer knows: the build fails with \`invalid section(s) specified\`.`;
        return markdown(value, section.nameRange);
      }
    }
    for (const placeholder of stage.placeholders) {
      if (contains(placeholder.range, offset)) {
        const value = stage.argumentDefaults[placeholder.name];
        const text = placeholder.skipped
          ? `\`{{ ${placeholder.name} }}\` follows a \`#\` on its line, so Apptainer leaves it as it is.`
          : value !== undefined
            ? `\`{{ ${placeholder.name} }}\` = \`${value}\` (default from \`%arguments\`; \`--build-arg ${placeholder.name}=...\` overrides it)`
            : `\`{{ ${placeholder.name} }}\` has no default in this stage's \`%arguments\`: the build needs \`--build-arg ${placeholder.name}=...\`.`;
        return markdown(text, placeholder.range);
      }
    }
  }
  return pragmaRuleHover(file, offset);
}

function pragmaRuleHover(file: ParsedFile, offset: number): Hover | null {
  const line = lineAround(file.text, offset);
  const pragma = PRAGMA.exec(line.text);
  if (!pragma) return null;
  const column = offset - line.start;
  if (column < pragma.index + pragma[0].length) return null;
  // The rule name under the cursor: ids and slugs are letters, digits and dashes.
  const word = /[A-Za-z0-9-]+/g;
  for (let match = word.exec(line.text); match; match = word.exec(line.text)) {
    if (match.index <= column && column <= match.index + match[0].length) {
      const name = match[0];
      const range = {
        start: file.positionAt(line.start + match.index),
        end: file.positionAt(line.start + match.index + name.length),
      };
      if (/^SC\d{4}$/i.test(name)) {
        return markdown(`ShellCheck [${name.toUpperCase()}](${ruleDocsUrl(name.toUpperCase())})`, range);
      }
      const rule = findRule(name);
      if (!rule) return null;
      return markdown(`${renderRuleDoc(rule)}\n[Online documentation](${ruleDocsUrl(rule.meta.id)})`, range);
    }
  }
  return null;
}

function markdown(value: string, range: Range): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range: toLspRange(range) };
}

// ---- completion -----------------------------------------------------------------------------

export function completionsAt(file: ParsedFile, offset: number): CompletionItem[] {
  const line = lineAround(file.text, offset);
  const before = line.text.slice(0, offset - line.start);
  const lineNumber = file.positionAt(line.start).line;
  const replace = (from: number): LspRange => {
    const start = file.positionAt(line.start + from);
    const end = file.positionAt(offset);
    return { start: { line: start.line - 1, character: start.character }, end: { line: end.line - 1, character: end.character } };
  };

  const pragma = /#[ \t]*apptainer-lint[ \t]+(?:ignore|ignore-section|ignore-file)[ \t]*=[ \t]*(?:[A-Za-z0-9-]+[ \t]*,[ \t]*)*([A-Za-z0-9-]*)$/i.exec(before);
  if (pragma) {
    const range = replace(before.length - pragma[1].length);
    return allRules.map((rule) => ({
      label: rule.meta.id,
      kind: CompletionItemKind.Constant,
      detail: rule.meta.slug,
      documentation: rule.meta.summary,
      filterText: `${rule.meta.id} ${rule.meta.slug}`,
      textEdit: { range, newText: rule.meta.id },
    }));
  }
  if (/#[ \t]*apptainer-lint[ \t]+[a-z-]*$/i.test(before)) {
    const word = /[a-z-]*$/i.exec(before)![0];
    const range = replace(before.length - word.length);
    return ['ignore', 'ignore-section', 'ignore-file'].map((directive) => ({
      label: `${directive}=`,
      kind: CompletionItemKind.Keyword,
      textEdit: { range, newText: `${directive}=` },
      command: { title: 'rule ids', command: 'editor.action.triggerSuggest' },
    }));
  }

  const placeholder = /\{\{[ \t]*(\w*)$/.exec(before);
  if (placeholder) {
    const range = replace(before.length - placeholder[1].length);
    const stage = stageAt(file, offset);
    return Object.entries(stage?.argumentDefaults ?? {}).map(([name, value]) => ({
      label: name,
      kind: CompletionItemKind.Variable,
      detail: `default: ${value}`,
      textEdit: { range, newText: name },
    }));
  }

  const filesFrom = /^%files[ ]+from[ ]+(\S*)$/i.exec(before);
  if (filesFrom) {
    const range = replace(before.length - filesFrom[1].length);
    const current = stageAt(file, offset);
    return file.stages
      .filter((stage) => stage.name !== undefined && stage.name !== '' && !/\s/.test(stage.name) && stage !== current)
      .map((stage) => ({
        label: stage.name!,
        kind: CompletionItemKind.Module,
        detail: stage.headerValues.from ? `From: ${stage.headerValues.from}` : `stage ${stage.index}`,
        textEdit: { range, newText: stage.name! },
      }));
  }

  const sectionStart = /^%+([A-Za-z]*)$/.exec(before);
  if (sectionStart) {
    const range = replace(before.length - sectionStart[1].length);
    return SECTION_DOCS.map((doc, order) => ({
      label: `%${doc.name}`,
      kind: CompletionItemKind.Keyword,
      detail: doc.summary,
      documentation: { kind: MarkupKind.Markdown, value: sectionMarkdown(doc) },
      sortText: String(order).padStart(2, '0'),
      filterText: doc.name,
      insertTextFormat: doc.app ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: { range, newText: doc.app ? `${doc.name} \${1:appname}` : doc.name },
    }));
  }

  const agent = /^bootstrap[ \t]*:[ \t]*(\S*)$/i.exec(before.trimStart());
  if (agent) {
    const range = replace(before.length - agent[1].length);
    return AGENT_DOCS.map((doc) => ({
      label: doc.name,
      kind: CompletionItemKind.EnumMember,
      detail: doc.summary,
      documentation: { kind: MarkupKind.Markdown, value: agentMarkdown(doc) },
      tags: doc.deprecated ? [1 as const] : undefined,
      textEdit: { range, newText: doc.name },
    }));
  }

  const key = /^[ \t]*([A-Za-z]*)$/.exec(before);
  if (key && inHeader(file, offset, lineNumber)) {
    const range = replace(before.length - key[1].length);
    const stage = stageAt(file, offset);
    const agentName = stage?.bootstrap;
    return HEADER_KEY_DOCS.map((doc, order) => ({
      label: `${doc.key}:`,
      kind: CompletionItemKind.Property,
      detail: doc.summary,
      documentation: { kind: MarkupKind.Markdown, value: headerKeyMarkdown(doc) },
      // Keys the stage's agent reads come first.
      sortText: `${agentName && doc.agents.includes(agentName) ? '0' : '1'}${String(order).padStart(2, '0')}`,
      filterText: doc.key,
      textEdit: { range, newText: `${doc.key}: ` },
    }));
  }
  return [];
}

/** True when the line is in a stage header (before the stage's first section). */
function inHeader(file: ParsedFile, offset: number, lineNumber: number): boolean {
  const stage = stageAt(file, offset);
  if (!stage) return true;
  const first = stage.sections[0];
  return !first || lineNumber < first.lineRange.start.line;
}

// ---- symbols and folding ----------------------------------------------------------------------

const SCRIPT_SECTIONS = new Set(['pre', 'setup', 'post', 'test', 'runscript', 'startscript', 'appinstall', 'apprun', 'apptest', 'appstart']);

function sectionSymbol(section: Section): DocumentSymbol {
  const label = section.kind === 'app' ? `%${section.name}` : `%${section.word}`;
  const detail = section.kind === 'app' ? (section.app ?? '') : section.args.trim();
  return {
    name: label,
    detail,
    kind: SCRIPT_SECTIONS.has(section.name) ? SymbolKind.Function : section.kind === 'unknown' ? SymbolKind.Null : SymbolKind.Field,
    range: toLspRange(section.range),
    selectionRange: toLspRange(section.nameRange),
  };
}

function covering(ranges: LspRange[]): LspRange {
  let start = ranges[0].start;
  let end = ranges[0].end;
  for (const r of ranges) {
    if (r.start.line < start.line || (r.start.line === start.line && r.start.character < start.character)) start = r.start;
    if (r.end.line > end.line || (r.end.line === end.line && r.end.character > end.character)) end = r.end;
  }
  return { start, end };
}

export function documentSymbols(file: ParsedFile): DocumentSymbol[] {
  const symbols: DocumentSymbol[] = [];
  for (const stage of file.stages) {
    if (stage.empty) continue;
    const children: DocumentSymbol[] = [];
    const apps = new Map<string, DocumentSymbol>();
    for (const section of stage.sections) {
      const symbol = sectionSymbol(section);
      if (section.kind === 'app' && section.app !== undefined) {
        let app = apps.get(section.app);
        if (!app) {
          app = {
            name: section.app || '(unnamed app)',
            detail: 'app',
            kind: SymbolKind.Class,
            range: symbol.range,
            selectionRange: symbol.selectionRange,
            children: [],
          };
          apps.set(section.app, app);
          children.push(app);
        }
        app.children!.push(symbol);
        app.range = covering([app.range, symbol.range]);
      } else {
        children.push(symbol);
      }
    }
    const bootstrapEntry = stage.header?.find((entry) => entry.key === 'bootstrap');
    const name = stage.name ? `stage ${stage.name}` : stage.bootstrap !== undefined ? `Bootstrap: ${stage.bootstrap}` : `stage ${stage.index}`;
    const range = toLspRange(stage.range);
    const selection = bootstrapEntry ? toLspRange(bootstrapEntry.range) : { start: range.start, end: range.start };
    symbols.push({
      name,
      detail: stage.headerValues.from ?? '',
      kind: SymbolKind.Module,
      range: covering([range, selection, ...children.map((c) => c.range)]),
      selectionRange: selection,
      children,
    });
  }
  return symbols;
}

/** Zero-based last line of a range, not counting a final line break. */
function lastLspLine(range: Range): number {
  const end = range.end.line > range.start.line && range.end.character === 0 ? range.end.line - 1 : range.end.line;
  return end - 1;
}

export function foldingRanges(file: ParsedFile): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  for (const stage of file.stages) {
    if (stage.empty) continue;
    const stageStart = stage.range.start.line - 1;
    const stageEnd = lastLspLine(stage.range);
    if (file.stages.length > 1 && stageEnd > stageStart) ranges.push({ startLine: stageStart, endLine: stageEnd });
    for (const section of stage.sections) {
      // Fold to the last non-blank body line, so the blank line before the next section stays.
      let end = section.lineRange.start.line;
      for (const body of section.bodyLines) if (body.text.trim() !== '') end = body.line;
      if (end > section.lineRange.start.line) {
        ranges.push({ startLine: section.lineRange.start.line - 1, endLine: end - 1 });
      }
    }
  }
  return ranges;
}
