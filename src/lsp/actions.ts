// Code actions from linter fixes: a quick fix per fix or suggestion of the diagnostics in view,
// and `source.fixAll.apptainer-lint`, which applies every safe fix that does not conflict.
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Fix } from '../lint/types.js';
import { applyFixes } from '../lint/fix.js';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.apptainer-lint`;

export interface EditTarget {
  document: TextDocument;
  /** Whether the client accepts `documentChanges` (versioned edits). */
  versioned: boolean;
}

function workspaceEdit(target: EditTarget, edits: TextEdit[]): WorkspaceEdit {
  const { document } = target;
  if (target.versioned) {
    return { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits }] };
  }
  return { changes: { [document.uri]: edits } };
}

function lspEdits(document: TextDocument, fix: Fix): TextEdit[] {
  return fix.edits.map((edit) => ({
    range: { start: document.positionAt(edit.start), end: document.positionAt(edit.end) },
    newText: edit.text,
  }));
}

/** The finding a diagnostic came from: by `data.index`, checked against code and range. */
function findingFor(diagnostic: Diagnostic, findings: readonly Finding[]): Finding | undefined {
  const sameAs = (finding: Finding) =>
    finding.ruleId === diagnostic.code &&
    finding.range.start.line - 1 === diagnostic.range.start.line &&
    finding.range.start.character === diagnostic.range.start.character &&
    finding.range.end.line - 1 === diagnostic.range.end.line &&
    finding.range.end.character === diagnostic.range.end.character;
  const index = (diagnostic.data as { index?: unknown } | undefined)?.index;
  if (typeof index === 'number' && findings[index] && sameAs(findings[index])) return findings[index];
  return findings.find(sameAs);
}

export function quickFixes(target: EditTarget, diagnostics: readonly Diagnostic[], findings: readonly Finding[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const finding = findingFor(diagnostic, findings);
    if (!finding) continue;
    if (finding.fix) {
      actions.push({
        title: `${finding.fix.description} (${finding.ruleId})`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: true,
        edit: workspaceEdit(target, lspEdits(target.document, finding.fix)),
      });
    }
    for (const suggestion of finding.suggestions ?? []) {
      actions.push({
        title: `Suggestion: ${suggestion.description} (${finding.ruleId})`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: false,
        edit: workspaceEdit(target, lspEdits(target.document, suggestion)),
      });
    }
  }
  return actions;
}

/** One action applying all safe, non-overlapping fixes (the same selection as `lint --fix`). */
export function fixAllAction(target: EditTarget, findings: readonly Finding[]): CodeAction | undefined {
  const text = target.document.getText();
  const { output, applied } = applyFixes(text, findings);
  if (applied.length === 0 || output === text) return undefined;
  const edits = applied.flatMap((finding) => lspEdits(target.document, finding.fix!));
  // Two findings can carry the very same edit; send it once.
  const seen = new Set<string>();
  const unique = edits.filter((edit) => {
    const key = JSON.stringify(edit);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return {
    title: `Fix all auto-fixable apptainer-lint problems (${applied.length})`,
    kind: FIX_ALL_KIND,
    edit: workspaceEdit(target, unique),
  };
}

/** Whether the client asked for (a parent kind of) the given kind, or asked for nothing specific. */
export function wants(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return true;
  return only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
}

const FILE_PRAGMA = /^(#[ \t]*apptainer-lint[ \t]+ignore-file[ \t]*=[ \t]*)([A-Za-z0-9-]+(?:[ \t]*,[ \t]*[A-Za-z0-9-]+)*)/i;

/**
 * "Ignore RULE in this file": adds the rule to an `ignore-file` pragma on the first line, or
 * inserts one there. Not offered when line 1 is a section line: a comment above it would change
 * how Apptainer reads that first section.
 */
export function ignoreInFileActions(target: EditTarget, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const { document } = target;
  const firstLine = document.getText({ start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }).replace(/\r?\n$/, '');
  if (/^\s*%/.test(firstLine)) return [];
  const existing = FILE_PRAGMA.exec(firstLine);
  const listed = new Set((existing?.[2] ?? '').split(',').map((id) => id.trim().toUpperCase()));
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  for (const diagnostic of diagnostics) {
    const code = typeof diagnostic.code === 'string' ? diagnostic.code : undefined;
    if (!code || seen.has(code) || listed.has(code.toUpperCase())) continue;
    seen.add(code);
    const edit: TextEdit = existing
      ? { range: { start: { line: 0, character: existing[0].length }, end: { line: 0, character: existing[0].length } }, newText: `,${code}` }
      : { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `# apptainer-lint ignore-file=${code}\n` };
    actions.push({
      title: `Ignore ${code} in this file`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: false,
      edit: workspaceEdit(target, [edit]),
    });
  }
  return actions;
}
