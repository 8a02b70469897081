// The shell walk reads tree-sitter trees through a copy made in one cursor pass straight through
// web-tree-sitter's WebAssembly binding (src/lint/shell/syntax.ts). The copy must be the tree the
// public Node API shows: same nodes, types, spans, named-ness, error flags and the fields the walk
// asks for, over every shell section of the corpus and over scripts with syntax errors, CRLF,
// non-BMP characters and deep nesting. Ranges are now computed from node indices, so the row and
// column tree-sitter reports must also be those of the index in the text.
import type { Node, Parser } from 'web-tree-sitter';
import { beforeAll, describe, expect, test } from 'vitest';
import { parse } from '../../../src/parse/index.js';
import { maskPlaceholders, sectionDialect } from '../../../src/lint/shell/index.js';
import { copySyntaxTree, copySyntaxTreeViaNodes, type SyntaxNode } from '../../../src/lint/shell/syntax.js';
import { bashParser, cursorBinding } from '../../../src/lint/shell/treesitter.js';
import { corpusFiles, readCorpusFile } from '../../helpers/corpus.js';

let parser: Parser;
beforeAll(async () => {
  parser = await bashParser();
});

/** Every node of a copy in document order, as one comparable line. */
function lines(root: SyntaxNode): string[] {
  const out: string[] = [];
  const pending: [SyntaxNode, number][] = [[root, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    out.push(
      `${depth} ${node.type} ${node.startIndex}-${node.endIndex} named=${node.isNamed} flawed=${node.isFlawed} field=${node.field ?? ''} kids=${node.children.length}`,
    );
    for (let i = node.children.length - 1; i >= 0; i--) pending.push([node.children[i], depth + 1]);
  }
  return out;
}

/** Both copies of the tree of `text`, and the tree-sitter nodes whose positions differ from their indices. */
function copies(text: string): { fast: string[]; reference: string[]; misplaced: string[] } {
  const tree = parser.parse(text)!;
  try {
    const fast = lines(copySyntaxTree(tree.rootNode, text));
    const reference = lines(copySyntaxTreeViaNodes(tree.rootNode, text));
    // A second fast copy of the same tree: the first one left nothing behind that changes it.
    expect(lines(copySyntaxTree(tree.rootNode, text))).toEqual(fast);
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    const pointOf = (index: number) => {
      let row = starts.length - 1;
      while (starts[row] > index) row--;
      return `${row}:${index - starts[row]}`;
    };
    const misplaced: string[] = [];
    const pending: Node[] = [tree.rootNode];
    for (let node = pending.pop(); node; node = pending.pop()) {
      const got = `${node.startPosition.row}:${node.startPosition.column}-${node.endPosition.row}:${node.endPosition.column}`;
      const want = `${pointOf(node.startIndex)}-${pointOf(node.endIndex)}`;
      if (got !== want) misplaced.push(`${node.type} ${node.startIndex}-${node.endIndex}: ${got}, want ${want}`);
      for (const kid of node.children) if (kid) pending.push(kid);
    }
    return { fast, reference, misplaced };
  } finally {
    tree.delete();
  }
}

const deep = (n: number) => `${'echo "$('.repeat(n)}x${')"'.repeat(n)}\n`;

const SAMPLES: [string, string][] = [
  [
    'conditions and functions',
    'if a && b; then c; elif ! d | e; then f; fi\nwhile read -r x; do g "$x"; done < in\nf() { h; }\nfunction k { m; }\nuntil n; do o; done\n',
  ],
  ['syntax errors', 'if then fi\necho "unterminated\n( a ;; b\nfor in do\ncase x in y) ;; esac esac\n'],
  ['missing tokens', 'echo $(\nx=(a b\n[[ a == b\n'],
  ['CRLF line ends', 'apt-get update\r\nif true; then\r\n  echo "a b" > /tmp/x\r\nfi\r\n'],
  ['non-BMP characters', 'echo "😀 $X" \'𝄞\' 😀=1 && printf %s 😀😀 > "/tmp/😀"\ncat <<EOF\n😀 $Y\nEOF\n'],
  ['heredocs and redirects', 'cat <<-"EOF" > out 2>&1\n\tbody $X\n\tEOF\nexec 3<>file &>/dev/null\nread x <<< "$y"\n'],
  ['expansions and arrays', "a=(1 2) b+=x ${c:-d} ${e[0]} $((1+2)) $'\\n' {1..3} `echo`\ndeclare -x F=1 G\nexport H=$I\n"],
  ['placeholders masked', maskPlaceholders('pip install {{ PACKAGE }}=={{VERSION}}\necho {{ X }}\n').text],
  ['deep nesting', deep(300)],
  ['empty', ''],
];

describe('the cursor copy is the tree the public Node API shows', () => {
  test('the binding functions the fast copy calls are there', () => {
    expect(cursorBinding()).toBeDefined();
  });

  for (const [name, text] of SAMPLES) {
    test(name, () => {
      const { fast, reference, misplaced } = copies(text);
      expect(fast).toEqual(reference);
      expect(misplaced).toEqual([]);
      if (name === 'syntax errors' || name === 'missing tokens') expect(fast.some((line) => line.includes('flawed=true'))).toBe(true);
      if (name === 'conditions and functions') {
        expect(fast.filter((line) => line.includes('field=condition')).length).toBeGreaterThanOrEqual(4);
        expect(fast.filter((line) => line.includes('field=name')).length).toBe(2);
      }
    });
  }

  const files = corpusFiles().filter((n) => n.endsWith('.def'));
  test.skipIf(files.length === 0)(
    'every shell section of the corpus',
    () => {
      let sections = 0;
      let nodes = 0;
      for (const name of files) {
        const file = parse(readCorpusFile(name));
        for (const stage of file.stages) {
          for (const section of stage.sections) {
            if (!sectionDialect(section) || section.bodyLines.length === 0) continue;
            const { text } = maskPlaceholders(section.bodyLines.map((l) => l.text).join('\n'));
            const { fast, reference, misplaced } = copies(text);
            expect(fast, name).toEqual(reference);
            expect(misplaced, name).toEqual([]);
            sections++;
            nodes += fast.length;
          }
        }
      }
      expect(sections).toBeGreaterThan(1000);
      expect(nodes).toBeGreaterThan(50_000);
    },
    120_000,
  );
});
