// One-off codemod (issue 12): a rule whose `create(ctx)` only returns its listeners (after, at
// most, one local that is a plain view of the file: `ctx.file.text`, or `liveStages(ctx.file)` /
// `finalStage(ctx.file)`, computed once per parsed file) becomes
// `create: (ctx) => ({ ...listeners })`; the local is replaced by its expression wherever it is
// referenced (resolved with the type checker, so shadowing names are left alone). Run once: `node scripts/dev/create-as-arrow.mjs`,
// then Prettier. Rules whose `create` keeps per-file state are not touched.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = new URL('../../src/lint/rules/', import.meta.url).pathname;
const files = [];
(function collect(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path);
    else if (name.endsWith('.ts') && name !== 'index.ts') files.push(path);
  }
})(root);

const config = ts.getParsedCommandLineOfConfigFile(
  new URL('../../tsconfig.json', import.meta.url).pathname,
  {},
  { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
);
const program = ts.createProgram(files, config.options);
const checker = program.getTypeChecker();
let changed = 0;
const VIEWS = ['ctx.file.text', 'liveStages(ctx.file)', 'finalStage(ctx.file)'];

for (const file of files) {
  const source = program.getSourceFile(file);
  const edits = [];
  source.forEachChild(function visit(node) {
    if (ts.isMethodDeclaration(node) && node.name.getText(source) === 'create' && node.parameters.length === 1 && node.body) {
      const statements = node.body.statements;
      let textSymbol;
      let localName;
      let localExpression;
      let index = 0;
      const first = statements[0];
      if (ts.isVariableStatement(first) && first.declarationList.declarations.length === 1) {
        const decl = first.declarationList.declarations[0];
        const expression = decl.initializer?.getText(source);
        if (ts.isIdentifier(decl.name) && VIEWS.includes(expression)) {
          localName = decl.name.text;
          localExpression = expression;
          textSymbol = checker.getSymbolAtLocation(decl.name);
          index = 1;
        }
      }
      const ret = statements[index];
      if (statements.length !== index + 1 || !ret || !ts.isReturnStatement(ret) || !ret.expression || !ts.isObjectLiteralExpression(ret.expression)) return;
      const object = ret.expression;
      const inner = [];
      if (textSymbol) {
        object.forEachChild(function refs(n) {
          if (ts.isShorthandPropertyAssignment(n) && checker.getShorthandAssignmentValueSymbol(n) === textSymbol) {
            inner.push([n.getStart(source), n.getEnd(), `${localName}: ${localExpression}`]);
            return;
          }
          if (ts.isIdentifier(n) && n.text === localName && checker.getSymbolAtLocation(n) === textSymbol) {
            inner.push([n.getStart(source), n.getEnd(), localExpression]);
            return;
          }
          n.forEachChild(refs);
        });
      }
      let body = source.text.slice(object.getStart(source), object.getEnd());
      for (const [start, end, text] of inner.sort((a, b) => b[0] - a[0])) {
        const s = start - object.getStart(source);
        body = body.slice(0, s) + text + body.slice(s + (end - start));
      }
      edits.push([node.getStart(source), node.getEnd(), `create: (${node.parameters[0].getText(source)}) => (${body})`]);
      return;
    }
    node.forEachChild(visit);
  });
  if (edits.length === 0) continue;
  let text = source.text;
  for (const [start, end, replacement] of edits.sort((a, b) => b[0] - a[0])) text = text.slice(0, start) + replacement + text.slice(end);
  writeFileSync(file, text);
  changed++;
}
console.log(`${changed} of ${files.length} rule files changed`);
