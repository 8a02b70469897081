// The shell parser reads its text through inputCopier (src/lint/shell/treesitter.ts), which
// replaces web-tree-sitter's own input import: it must write into WebAssembly memory exactly what
// that import writes (Emscripten's stringToUTF16: at most 5,119 UTF-16 units and a 0 unit, the
// whole length stored as the count), and the loaded parser must be using it.
import type { Parser } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import { bashParser, copiesInputNatively, inputCopier } from '../../../src/lint/shell/treesitter.js';

let parser: Parser;
beforeAll(async () => {
  parser = await bashParser();
});

/** web-tree-sitter 0.25's import: stringToUTF16(text, address, 10 KiB) and the length, one unit at a time. */
function stockCopy(memory: WebAssembly.Memory, text: unknown, address: number, lengthAddress: number): void {
  const view = new DataView(memory.buffer);
  if (typeof text !== 'string') {
    view.setInt32(lengthAddress, 0, true);
    return;
  }
  view.setInt32(lengthAddress, text.length, true);
  const max = 10 * 1024 - 2;
  const count = max < text.length * 2 ? max / 2 : text.length;
  let at = address;
  for (let i = 0; i < count; i++, at += 2) view.setInt16(at, text.charCodeAt(i), true);
  view.setInt16(at, 0, true);
}

describe('inputCopier', () => {
  it('writes what web-tree-sitter’s own input import writes', () => {
    const texts: unknown[] = [
      '',
      'echo hi\n',
      'x'.repeat(5118),
      'y'.repeat(5119),
      'z'.repeat(5120),
      'apt-get install -y curl\n'.repeat(1000),
      'echo 😀 Zoë\n'.repeat(700),
      'lone \ud800 high, lone \udc00 low, pair \ud83d\ude00',
      `${'a'.repeat(5118)}\ud83d\ude00tail`,
      null,
      undefined,
    ];
    const address = 4096;
    const lengthAddress = 64;
    for (const text of texts) {
      const stock = new WebAssembly.Memory({ initial: 1 });
      const ours = new WebAssembly.Memory({ initial: 1 });
      // Garbage where the copy goes: both must overwrite the same bytes.
      new Uint8Array(stock.buffer).fill(0xa5);
      new Uint8Array(ours.buffer).fill(0xa5);
      stockCopy(stock, text, address, lengthAddress);
      const points: { index: number; row: number; column: number }[] = [];
      inputCopier(ours, (index, point) => (points.push({ index, ...point }), text))(address, 17, 2, 5, lengthAddress);
      expect(points).toEqual([{ index: 17, row: 2, column: 5 }]);
      expect(Buffer.from(ours.buffer).equals(Buffer.from(stock.buffer)), String(text).slice(0, 20)).toBe(true);
    }
  });
});

describe('the loaded shell parser', () => {
  it('reads its text through inputCopier', () => {
    expect(copiesInputNatively()).toBe(true);
  });

  it('gives the same tree for a text given whole and in small pieces, over many input chunks', () => {
    const text = Array.from({ length: 2501 }, (_, i) =>
      i % 7 === 0 ? `if [ -f /x${i} ]; then\n  cat <<EOF\nline ${i}\nEOF\nfi` : `echo "$X${i}" | tee -a /log${i}`,
    ).join('\n');
    expect(text.length).toBeGreaterThan(4 * 5119);
    const whole = parser.parse(text)!;
    const pieces = parser.parse((index) => text.slice(index, index + 7))!;
    try {
      expect(whole.rootNode.hasError).toBe(false);
      expect(whole.rootNode.toString()).toBe(pieces.rootNode.toString());
      expect(whole.rootNode.endIndex).toBe(text.length);
      const last = whole.rootNode.lastChild!;
      expect(text.slice(last.startIndex, last.endIndex)).toBe('echo "$X2500" | tee -a /log2500');
    } finally {
      whole.delete();
      pieces.delete();
    }
  });

  it('counts UTF-16 units across chunks with non-BMP characters and lone surrogates', () => {
    const line = (i: number) => `echo "😀 ${i} \ud800" Zoë${i}`;
    const text = Array.from({ length: 1500 }, (_, i) => line(i)).join('\n');
    expect(text.length).toBeGreaterThan(3 * 5119);
    const tree = parser.parse(text)!;
    try {
      const commands = tree.rootNode.children.filter((node) => node?.type === 'command');
      expect(commands).toHaveLength(1500);
      let at = 0;
      commands.forEach((command, i) => {
        expect(command!.startIndex).toBe(at);
        expect(command!.endIndex).toBe(at + line(i).length);
        at += line(i).length + 1;
      });
    } finally {
      tree.delete();
    }
  });
});
