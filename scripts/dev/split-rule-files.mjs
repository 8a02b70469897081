// One-off refactoring script, kept for the record (it ran once, in the commit that added it):
// split every multi-rule file under src/lint/rules into one file per rule, moved their shared
// helpers to src/lint/vocab/, then let TypeScript's organizeImports prune each new file's imports.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
const require = createRequire(path.resolve('package.json'));
const ts = require('typescript');

const RULES = 'src/lint/rules';
const VOCAB = 'src/lint/vocab';
const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
const rel = (from, to) => {
  let r = path.relative(path.dirname(from), to).replace(/\\/g, '/').replace(/\.ts$/, '.js');
  return r.startsWith('.') ? r : './' + r;
};

// Modules that move as a whole (helpers already shared).
const moves = new Map([
  ['src/lint/rules/util/diagnostics.ts', 'src/lint/vocab/diagnostics.ts'],
  ['src/lint/rules/util/header.ts', 'src/lint/vocab/header.ts'],
  ['src/lint/rules/util/script-cuts.ts', 'src/lint/vocab/script-cuts.ts'],
  ['src/lint/rules/util/sections.ts', 'src/lint/vocab/sections.ts'],
  ['src/lint/rules/util/shell-tree.ts', 'src/lint/vocab/shell-tree.ts'],
  ['src/lint/rules/util/text.ts', 'src/lint/vocab/text.ts'],
  ['src/lint/rules/shell/helpers.ts', 'src/lint/vocab/shell-commands.ts'],
  ['src/lint/rules/mpi/util.ts', 'src/lint/vocab/mpi.ts'],
  ['src/lint/rules/gpu/base-image.ts', 'src/lint/vocab/base-image.ts'],
]);

const isRuleStatement = (st, sf) =>
  ts.isVariableStatement(st) &&
  st.declarationList.declarations.some((d) => d.initializer && ts.isCallExpression(d.initializer) && d.initializer.expression.getText(sf) === 'defineRule');
const isRuleList = (st, sf) => ts.isVariableStatement(st) && st.declarationList.declarations.some((d) => d.type && d.type.getText(sf) === 'Rule[]');

/** Rewrites relative import specifiers of `text` (a file that was at oldPath, now at newPath). */
function rewriteImports(text, oldPath, newPath, renamed) {
  return text.replace(/(from\s+|import\(\s*)(['"])(\.[^'"]+)\2/g, (whole, lead, q, spec) => {
    let target = path.normalize(path.join(path.dirname(oldPath), spec)).replace(/\.js$/, '.ts');
    target = renamed.get(target) ?? target;
    return `${lead}${q}${rel(newPath, target)}${q}`;
  });
}

const created = []; // files whose imports must be pruned
const renamed = new Map(moves);
const plans = [];
for (const file of walk(RULES).filter((f) => f.endsWith('.ts') && !f.endsWith('index.ts') && !moves.has(f))) {
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const rules = sf.statements.filter((st) => isRuleStatement(st, sf));
  if (rules.length === 0) continue;
  const family = path.basename(path.dirname(file));
  const slugOf = (st) => /slug:\s*'([^']+)'/.exec(st.getText(sf))[1];
  if (rules.length === 1) {
    const target = path.join(path.dirname(file), `${slugOf(rules[0])}.ts`);
    if (target !== file) {
      plans.push({ kind: 'rename', file, target });
      renamed.set(file, target);
    }
    continue;
  }
  const helpersPath = path.join(VOCAB, `${family}-${path.basename(file)}`);
  renamed.set(file, helpersPath);
  plans.push({ kind: 'split', file, text, sf, rules, family, helpersPath, slugOf });
}

const outputs = new Map();
for (const plan of plans) {
  if (plan.kind === 'rename') {
    outputs.set(plan.target, rewriteImports(fs.readFileSync(plan.file, 'utf8'), plan.file, plan.target, renamed));
    fs.unlinkSync(plan.file);
    created.push(plan.target);
    continue;
  }
  const { file, text, sf, rules, helpersPath, slugOf } = plan;
  const imports = sf.statements.filter(ts.isImportDeclaration);
  const importText = imports.map((st) => st.getText(sf)).join('\n');
  const helperStatements = sf.statements.filter((st) => !ts.isImportDeclaration(st) && !isRuleStatement(st, sf) && !isRuleList(st, sf));
  const helperNames = [];
  let helpers = '';
  for (const st of helperStatements) {
    let chunk = st.getFullText(sf);
    const names = ts.isVariableStatement(st) ? st.declarationList.declarations.map((d) => d.name.getText(sf)) : st.name ? [st.name.getText(sf)] : [];
    helperNames.push(...names);
    const exported = st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported && names.length)
      chunk = chunk.replace(/^(\s*(?:\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*)(?=(async\s+)?(function|const|let|interface|type|class|enum)\b)/, '$1export ');
    helpers += chunk;
  }
  const leading = text.slice(0, imports[0]?.getStart(sf) ?? 0).trim();
  if (helperNames.length) {
    const header = `// Shared by the rules that were in ${path.relative(RULES, file)}: ${leading.replace(/^\/\/\s*/gm, '').split('\n')[0]}\n`;
    outputs.set(helpersPath, header + rewriteImports(importText, file, helpersPath, renamed) + '\n' + helpers.replace(/^\n+/, '\n') + '\n');
    created.push(helpersPath);
  }
  for (const st of rules) {
    const slug = slugOf(st);
    const target = path.join(path.dirname(file), `${slug}.ts`);
    const id = /id:\s*'(DEF\d+)'/.exec(st.getText(sf))[1];
    let body = st.getFullText(sf).replace(/^\s+/, '');
    const summary = /summary:\s*'((?:[^'\\]|\\.)*)'/.exec(st.getText(sf))?.[1] ?? '';
    const own = `// ${id} ${slug}: ${summary.replace(/\\'/g, "'")}\n`;
    const helperImport = helperNames.length ? `import { ${helperNames.join(', ')} } from '${rel(target, helpersPath)}';\n` : '';
    outputs.set(target, own + rewriteImports(importText, file, target, renamed) + '\n' + helperImport + '\n' + body + '\n');
    created.push(target);
  }
  fs.unlinkSync(file);
}
// Whole-module moves.
for (const [from, to] of moves) {
  outputs.set(to, rewriteImports(fs.readFileSync(from, 'utf8'), from, to, renamed));
  fs.unlinkSync(from);
}
fs.mkdirSync(VOCAB, { recursive: true });
for (const [f, t] of outputs) fs.writeFileSync(f, t);
// Every other file in src/ and test/ whose imports point at a moved module.
for (const f of [...walk('src'), ...walk('test')].filter((f) => f.endsWith('.ts') && !outputs.has(f))) {
  const t = fs.readFileSync(f, 'utf8');
  const n = rewriteImports(t, f, f, renamed);
  if (n !== t) fs.writeFileSync(f, n);
}
// Prune imports with the language service.
const files = new Map();
const host = {
  getScriptFileNames: () => [...walk('src')].filter((f) => f.endsWith('.ts')),
  getScriptVersion: (f) => String(files.get(path.resolve(f))?.v ?? 0),
  getScriptSnapshot: (f) => {
    const t = files.get(path.resolve(f))?.t ?? (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined);
    return t === undefined ? undefined : ts.ScriptSnapshot.fromString(t);
  },
  getCurrentDirectory: () => process.cwd(),
  getCompilationSettings: () => ({
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
  }),
  getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
  fileExists: ts.sys.fileExists,
  readFile: ts.sys.readFile,
  readDirectory: ts.sys.readDirectory,
  directoryExists: ts.sys.directoryExists,
  getDirectories: ts.sys.getDirectories,
};
const service = ts.createLanguageService(host, ts.createDocumentRegistry());
for (const f of created) {
  const abs = path.resolve(f);
  const changes = service.organizeImports(
    { type: 'file', fileName: abs, mode: ts.OrganizeImportsMode.RemoveUnused },
    { ...ts.getDefaultFormatCodeSettings(), insertSpaceAfterOpeningAndBeforeClosingNonemptyBraces: true, semicolons: ts.SemicolonPreference.Insert },
    { quotePreference: 'single' },
  );
  let t = fs.readFileSync(f, 'utf8');
  for (const change of changes)
    for (const e of [...change.textChanges].sort((a, b) => b.span.start - a.span.start))
      t = t.slice(0, e.span.start) + e.newText + t.slice(e.span.start + e.span.length);
  fs.writeFileSync(f, t);
  files.set(abs, { t, v: 1 });
}
console.log(
  `split ${plans.filter((p) => p.kind === 'split').length} files, renamed ${plans.filter((p) => p.kind === 'rename').length}, wrote ${created.length}`,
);
