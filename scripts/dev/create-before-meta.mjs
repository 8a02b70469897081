// One-off codemod (issue 12): in each rule file, `defineRule({ create | check, meta })`, the
// rule's code first and its documentation after. Run once: `node scripts/dev/create-before-meta.mjs`,
// then Prettier.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = new URL('../../src/lint/rules/', import.meta.url).pathname;
let changed = 0;
(function visitDir(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) visitDir(path);
    else if (name.endsWith('.ts') && name !== 'index.ts') reorder(path);
  }
})(root);
console.log(`${changed} rule files changed`);

function reorder(path) {
  const text = readFileSync(path, 'utf8');
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  let object;
  source.forEachChild(function find(node) {
    if (ts.isCallExpression(node) && node.expression.getText(source) === 'defineRule' && ts.isObjectLiteralExpression(node.arguments[0]))
      object = node.arguments[0];
    else node.forEachChild(find);
  });
  if (!object) return;
  const names = object.properties.map((p) => p.name?.getText(source));
  if (names.length !== 2 || names[0] !== 'meta' || !['create', 'check'].includes(names[1])) return;
  const [meta, code] = object.properties;
  // Each property with its leading comments; the separator between them stays where it is.
  const metaText = text.slice(meta.getFullStart(), meta.getEnd());
  const codeText = text.slice(code.getFullStart(), code.getEnd());
  const between = text.slice(meta.getEnd(), code.getFullStart());
  const result = text.slice(0, meta.getFullStart()) + codeText + between + metaText + text.slice(code.getEnd());
  writeFileSync(path, result);
  changed++;
}
