// One-off: rewrite `check(ctx) { PRE; for (...) {...} }` rules as listeners when the loop is one
// of the engine's walks (stages, stage sections, scripts, script commands).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
const require = createRequire(path.resolve('package.json'));
const ts = require('typescript');
const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));

const isLoop = (n) => ts.isForOfStatement(n) || ts.isForStatement(n) || ts.isForInStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n);
const isFn = (n) => ts.isFunctionLike(n);

/** Replaces `continue` that targets `loop` by `return`; undefined when the body breaks or returns out. */
function rewriteBody(loop, sf) {
  const body = loop.statement;
  const edits = [];
  let ok = true;
  const visit = (n, depth) => {
    if (isFn(n)) return;
    if (ts.isReturnStatement(n)) {
      ok = false;
      return;
    }
    if ((ts.isContinueStatement(n) || ts.isBreakStatement(n)) && n.label) {
      ok = false;
      return;
    }
    if (ts.isContinueStatement(n) && depth === 0) edits.push({ start: n.getStart(sf), end: n.end, text: 'return;' });
    if (ts.isBreakStatement(n) && depth === 0) {
      ok = false;
      return;
    }
    if (ts.isSwitchStatement(n) && depth === 0) {
      /* break inside switch targets the switch */ ts.forEachChild(n, (c) => visitSwitch(c));
      return;
    }
    ts.forEachChild(n, (c) => visit(c, depth + (isLoop(n) ? 1 : 0)));
  };
  const visitSwitch = (n) => {
    if (isFn(n)) return;
    if (ts.isReturnStatement(n)) {
      ok = false;
      return;
    }
    if (ts.isContinueStatement(n)) edits.push({ start: n.getStart(sf), end: n.end, text: 'return;' });
    if (isLoop(n)) {
      ts.forEachChild(n, (c) => visit(c, 1));
      return;
    }
    ts.forEachChild(n, visitSwitch);
  };
  ts.forEachChild(body, (c) => visit(c, 0));
  if (!ok) return undefined;
  let text = sf.text.slice(body.getStart(sf), body.end);
  const base = body.getStart(sf);
  for (const e of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, e.start - base) + e.text + text.slice(e.end - base);
  if (!ts.isBlock(body)) text = `{\n${text}\n}`;
  return text;
}

const loopVar = (loop, sf) =>
  ts.isForOfStatement(loop) &&
  ts.isVariableDeclarationList(loop.initializer) &&
  loop.initializer.declarations.length === 1 &&
  ts.isIdentifier(loop.initializer.declarations[0].name)
    ? loop.initializer.declarations[0].name.text
    : undefined;
const iterText = (loop, sf) => loop.expression.getText(sf);

/** Recognises the engine walks. */
function listenerFor(loop, sf) {
  if (!ts.isForOfStatement(loop)) return undefined;
  const v = loopVar(loop, sf);
  if (!v) return undefined;
  const iter = iterText(loop, sf);
  const stmts = ts.isBlock(loop.statement) ? loop.statement.statements : [loop.statement];
  const inner = stmts.length === 1 && ts.isForOfStatement(stmts[0]) ? stmts[0] : undefined;
  if (iter === 'liveStages(ctx.file)') {
    if (inner && iterText(inner, sf) === `${v}.sections` && loopVar(inner, sf)) {
      const body = rewriteBody(inner, sf);
      if (body && !usesOuter(inner, v)) return { name: 'section', params: `${loopVar(inner, sf)}, ${v}`, body, stageParam: true };
    }
    const body = rewriteBody(loop, sf);
    return body && { name: 'stage', params: v, body };
  }
  if (iter === 'ctx.scripts') {
    // `if (x) continue;` guards before the command loop become guards inside the command listener.
    const guards = stmts.slice(0, -1);
    const last = stmts[stmts.length - 1];
    if (
      last &&
      ts.isForOfStatement(last) &&
      iterText(last, sf) === `${v}.commands` &&
      loopVar(last, sf) &&
      guards.every((g) => ts.isIfStatement(g) && !g.elseStatement && ts.isContinueStatement(g.thenStatement) && !g.thenStatement.label)
    ) {
      const body = rewriteBody(last, sf);
      if (body) {
        const guardText = guards.map((g) => `if (${g.expression.getText(sf)}) return;`).join('\n');
        return { name: 'command', params: `${loopVar(last, sf)}, ${v}`, body: guardText ? body.replace(/^\{/, `{\n${guardText}`) : body };
      }
    }
    const body = rewriteBody(loop, sf);
    return body && { name: 'script', params: v, body };
  }
  return undefined;
}
// The section listener gets (section, stage): the stage variable keeps its name, so nothing to check.
function usesOuter() {
  return false;
}

let converted = 0,
  skipped = [];
for (const file of walk('src/lint/rules').filter((f) => f.endsWith('.ts') && !f.endsWith('index.ts'))) {
  let text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  let edit;
  const visit = (n) => {
    if (ts.isMethodDeclaration(n) && n.name.getText(sf) === 'check' && n.parameters.length === 1 && n.parameters[0].name.getText(sf) === 'ctx' && n.body) {
      const stmts = n.body.statements;
      const loop = stmts[stmts.length - 1];
      const pre = stmts.slice(0, -1);
      if (!loop || !pre.every((s) => ts.isVariableStatement(s))) {
        skipped.push(file);
        return;
      }
      const l = listenerFor(loop, sf);
      if (!l) {
        skipped.push(file);
        return;
      }
      const indent = ' '.repeat(sf.getLineAndCharacterOfPosition(n.getStart(sf)).character);
      const preText = pre.map((s) => s.getText(sf)).join('\n');
      const out = `create(ctx) {\n${preText ? preText + '\n' : ''}return {\n${l.name}(${l.params}) ${l.body},\n};\n}`;
      edit = { start: n.getStart(sf), end: n.end, text: out };
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  if (!edit) continue;
  text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  fs.writeFileSync(file, text);
  converted++;
}
console.log(`converted ${converted}; skipped ${skipped.length}: ${skipped.map((f) => path.basename(f)).join(' ')}`);
