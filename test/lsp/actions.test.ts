import { TextDocument } from 'vscode-languageserver-textdocument';
import { describe, expect, it } from 'vitest';
import type { Diagnostic, TextEdit } from 'vscode-languageserver';
import { ignoreInFileActions } from '../../src/lsp/actions.js';
import { lint } from '../../src/lint/index.js';
import { toDiagnostic } from '../../src/lsp/diagnostics.js';
import { applyEdits } from './client.js';

const TEXT = 'Bootstrap: docker\nFrom: ubuntu\n\n%post\n  apt-get install -y curl\n';

async function diagnosticsOf(text: string): Promise<Diagnostic[]> {
  return (await lint(text, { shellcheck: false })).filter((f) => !f.suppressed).map(toDiagnostic);
}

function edited(text: string, diagnostics: Diagnostic[], code: string): string {
  const document = TextDocument.create('file:///x.def', 'apptainer', 1, text);
  const action = ignoreInFileActions({ document, versioned: false }, diagnostics).find((a) => a.title === `Ignore ${code} in this file`);
  expect(action, code).toBeDefined();
  return applyEdits(text, action!.edit!.changes!['file:///x.def'] as TextEdit[]);
}

describe('ignore-in-file code actions', () => {
  it('insert a file pragma that silences the rule, then extend it', async () => {
    const before = await diagnosticsOf(TEXT);
    const codes = [...new Set(before.map((d) => d.code as string))];
    expect(codes.length).toBeGreaterThanOrEqual(2);
    const once = edited(TEXT, before, codes[0]);
    expect(once.split('\n')[0]).toBe(`# apptainer-lint ignore-file=${codes[0]}`);
    const after = await diagnosticsOf(once);
    expect(after.some((d) => d.code === codes[0])).toBe(false);

    const twice = edited(once, after, codes[1]);
    expect(twice.split('\n')[0]).toBe(`# apptainer-lint ignore-file=${codes[0]},${codes[1]}`);
    expect((await diagnosticsOf(twice)).some((d) => d.code === codes[0] || d.code === codes[1])).toBe(false);
  });

  it('are not offered when line 1 is a section line', async () => {
    const text = '%post\n  apt-get install -y curl\n';
    const document = TextDocument.create('file:///x.def', 'apptainer', 1, text);
    expect(ignoreInFileActions({ document, versioned: false }, await diagnosticsOf(text))).toEqual([]);
  });
});
