// A plain-object copy of a tree-sitter syntax tree, for the shell walk. Every property of a
// web-tree-sitter `Node` but its start is a call into WebAssembly that first copies the node into a
// transfer buffer, and `Node.children` builds a new `Node` (with its own point object) per child;
// the walk reads the type, span and children of nearly every node, so it reads them all once, in
// one cursor pass straight through the binding (see CursorBinding in treesitter.ts), into small
// objects. copySyntaxTreeViaNodes() does the same through the public API: the fallback when the
// binding is not the expected one, and the reference the fast copy is tested against.
import type { Language, Node, Tree } from 'web-tree-sitter';
import { cursorBinding, type CursorBinding } from './treesitter.js';

/**
 * One node of the copy: what the shell walk reads of a tree-sitter node. Its fields are declared
 * and set in the constructor, not initialised as class fields: a class field is an own-property
 * definition per field in a separate initialiser function, and a lint makes one node per tree
 * node.
 */
export class SyntaxNode {
  declare readonly type: string;
  declare readonly startIndex: number;
  declare readonly endIndex: number;
  declare readonly isNamed: boolean;
  /** `Node.isError || Node.isMissing`; only read in trees with errors (false elsewhere). */
  declare readonly isFlawed: boolean;
  /** The children, visible nodes only (as `Node.children`); a shared empty array for leaves. */
  declare children: readonly SyntaxNode[];
  /** The field name the walk asks for (FIELDS_READ) when this node holds it in its parent. */
  declare field: string | undefined;
  declare private readonly source: string;

  constructor(type: string, startIndex: number, endIndex: number, isNamed: boolean, isFlawed: boolean, source: string) {
    this.type = type;
    this.startIndex = startIndex;
    this.endIndex = endIndex;
    this.isNamed = isNamed;
    this.isFlawed = isFlawed;
    this.source = source;
    this.children = NO_CHILDREN;
    this.field = undefined;
  }

  /** Same as `Node.text`: the slice of the parsed text. */
  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }
}

const NO_CHILDREN: readonly SyntaxNode[] = Object.freeze([]);

/** The fields the walk reads, by parent type: the conditions of `if`/`elif`/`while`, a function's name. */
const FIELDS_READ = new Map([
  ['if_statement', ['condition']],
  ['elif_clause', ['condition']],
  ['while_statement', ['condition']],
  ['function_definition', ['name']],
]);

/** tree-sitter's symbol of ERROR nodes (`ts_builtin_sym_error`). */
const ERROR_SYMBOL = 0xffff;

/** Whether each type id is named, per language, filled in as types are met. */
const namedTypes = new WeakMap<Language, (boolean | undefined)[]>();

/**
 * Copies the tree below `root` (usually `tree.rootNode`); `text` is the text it was parsed from.
 * Iterative: a script nested thousands of levels deep does not overflow the call stack here.
 */
export function copySyntaxTree(root: Node, text: string): SyntaxNode {
  const binding = cursorBinding();
  return binding ? copyViaCursor(root, text, binding) : copySyntaxTreeViaNodes(root, text);
}

function copyViaCursor(root: Node, text: string, raw: CursorBinding): SyntaxNode {
  const language = root.tree.language;
  const { types, fields } = language;
  let named = namedTypes.get(language);
  if (!named) namedTypes.set(language, (named = []));
  const checkErrors = root.hasError;
  const tree = (root.tree as Tree & { 0: number })[0];
  // Puts a cursor on `root` into the transfer buffer, where the calls below read and move it. No
  // other call into web-tree-sitter may come between them (it would overwrite the buffer), and
  // the returned TreeCursor is left unused: the buffer, not it, holds the cursor's current state.
  root.walk();
  const read = (): SyntaxNode => {
    const typeId = raw._ts_tree_cursor_current_node_type_id_wasm(tree);
    let isNamed = named[typeId];
    // Whether a node is named follows from its (public) symbol; asked once per type.
    if (isNamed === undefined) isNamed = named[typeId] = raw._ts_tree_cursor_current_node_is_named_wasm(tree) === 1;
    const isFlawed = checkErrors && (typeId === ERROR_SYMBOL || raw._ts_tree_cursor_current_node_is_missing_wasm(tree) === 1);
    return new SyntaxNode(
      types[typeId] || 'ERROR',
      raw._ts_tree_cursor_start_index_wasm(tree),
      raw._ts_tree_cursor_end_index_wasm(tree),
      isNamed,
      isFlawed,
      text,
    );
  };
  const readChild = (parent: SyntaxNode): SyntaxNode => {
    const child = read();
    const wanted = FIELDS_READ.get(parent.type);
    if (wanted) {
      const field = fields[raw._ts_tree_cursor_current_field_id_wasm(tree)];
      if (field && wanted.includes(field)) child.field = field;
    }
    return child;
  };
  try {
    const top = read();
    const parents: SyntaxNode[] = [];
    let node = top;
    for (;;) {
      if (raw._ts_tree_cursor_goto_first_child_wasm(tree) === 1) {
        parents.push(node);
        const child = readChild(node);
        node.children = [child];
        node = child;
        continue;
      }
      for (;;) {
        if (parents.length === 0) return top;
        if (raw._ts_tree_cursor_goto_next_sibling_wasm(tree) === 1) {
          const parent = parents[parents.length - 1];
          node = readChild(parent);
          (parent.children as SyntaxNode[]).push(node);
          break;
        }
        raw._ts_tree_cursor_goto_parent_wasm(tree);
        parents.pop();
      }
    }
  } finally {
    raw._ts_tree_cursor_delete_wasm(tree);
  }
}

/** copySyntaxTree() through the public `Node` API only. */
export function copySyntaxTreeViaNodes(root: Node, text: string): SyntaxNode {
  const checkErrors = root.hasError;
  const copy = (node: Node) => new SyntaxNode(node.type, node.startIndex, node.endIndex, node.isNamed, checkErrors && (node.isError || node.isMissing), text);
  const top = copy(root);
  const pending: [Node, SyntaxNode][] = [[root, top]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, target] = next;
    const kids = node.children.filter((kid): kid is Node => kid !== null);
    if (kids.length === 0) continue;
    const fieldOf = new Map<number, string>();
    for (const field of FIELDS_READ.get(target.type) ?? []) {
      for (const kid of node.childrenForFieldName(field)) if (kid && !fieldOf.has(kid.id)) fieldOf.set(kid.id, field);
    }
    const children: SyntaxNode[] = [];
    for (const kid of kids) {
      const child = copy(kid);
      child.field = fieldOf.get(kid.id);
      children.push(child);
      pending.push([kid, child]);
    }
    target.children = children;
  }
  return top;
}
