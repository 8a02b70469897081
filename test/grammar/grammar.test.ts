// The TextMate grammar, tokenized by the same engine VS Code uses (vscode-textmate with the
// Oniguruma WASM regex engine). A tiny stand-in `source.shell` grammar shows that script
// sections embed shell, and that a shell construct (heredoc) cannot hide a section start.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import vsctm from 'vscode-textmate';
import oniguruma from 'vscode-oniguruma';
import { corpusDir, corpusPresent } from '../helpers/corpus.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const require = createRequire(import.meta.url);

const STAND_IN_SHELL = {
  scopeName: 'source.shell',
  patterns: [
    { match: '(?<![\\w-])(if|then|fi|for|do|done)(?![\\w-])', name: 'keyword.control.shell' },
    { match: '(#).*$', name: 'comment.line.number-sign.shell' },
    { begin: '"', end: '"', name: 'string.quoted.double.shell' },
    // A heredoc swallows every line up to its terminator, including ones starting with `%`.
    { begin: '<<-?\\s*(\\w+)', end: '^\\1$', name: 'string.unquoted.heredoc.shell' },
  ],
};

let tokens: { line: string; tokens: vsctm.IToken[] }[];
let grammar: vsctm.IGrammar;

function tokenize(text: string): { line: string; tokens: vsctm.IToken[] }[] {
  let state = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return { line, tokens: result.tokens };
  });
}
const lines = readFileSync(join(here, 'fixtures', 'sample.def'), 'utf8').split('\n');

beforeAll(async () => {
  const wasm = readFileSync(join(dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) => {
      if (scopeName === 'source.apptainer') {
        const path = join(root, 'grammar', 'apptainer.tmLanguage.json');
        return vsctm.parseRawGrammar(readFileSync(path, 'utf8'), path);
      }
      if (scopeName === 'source.shell') return vsctm.parseRawGrammar(JSON.stringify(STAND_IN_SHELL), 'shell.json');
      return null;
    },
  });
  grammar = (await registry.loadGrammar('source.apptainer'))!;
  tokens = tokenize(lines.join('\n'));
});

/** Scopes of the token covering the first character of `text` on the 0-based line `n`. */
function scopesAt(n: number, text: string, within = tokens): string[] {
  const { line, tokens: lineTokens } = within[n];
  const index = line.indexOf(text);
  if (index < 0) throw new Error(`'${text}' not on line ${n}: ${line}`);
  return lineTokens.find((t) => t.startIndex <= index && index < t.endIndex)!.scopes;
}

describe('TextMate grammar (source.apptainer)', () => {
  it('has the right scope name', () => {
    const raw = JSON.parse(readFileSync(join(root, 'grammar', 'apptainer.tmLanguage.json'), 'utf8'));
    expect(raw.scopeName).toBe('source.apptainer');
    expect(tokens[1].tokens[0].scopes[0]).toBe('source.apptainer');
  });

  it('scopes header keys, agents and values', () => {
    expect(scopesAt(1, 'BootStrap')).toContain('keyword.other.header-key.apptainer');
    expect(scopesAt(1, 'docker')).toContain('support.constant.agent.apptainer');
    expect(scopesAt(29, 'shub')).toContain('support.constant.agent.apptainer');
    expect(scopesAt(3, 'MirrorURL')).toContain('keyword.other.header-key.apptainer');
    expect(scopesAt(3, 'http')).toContain('string.unquoted.header-value.apptainer');
    expect(scopesAt(3, '# mirror')).toContain('comment.line.number-sign.apptainer');
  });

  it('scopes placeholders in the header and inside embedded shell strings', () => {
    expect(scopesAt(2, 'BASE')).toContain('variable.other.placeholder.apptainer');
    expect(scopesAt(2, '{{')).toContain('punctuation.definition.placeholder.begin.apptainer');
    const inString = scopesAt(11, 'GREETING');
    expect(inString).toContain('variable.other.placeholder.apptainer');
    expect(inString).toContain('string.quoted.double.shell');
  });

  it('scopes pragmas and the rule ids in them', () => {
    expect(scopesAt(0, 'apptainer-lint')).toContain('keyword.control.pragma.apptainer');
    expect(scopesAt(0, 'ignore-file')).toContain('keyword.other.directive.apptainer');
    expect(scopesAt(0, 'DEF401')).toContain('constant.other.rule-id.apptainer');
    expect(scopesAt(0, 'base image')).toContain('string.unquoted.reason.apptainer');
    expect(scopesAt(13, 'DEF306')).toContain('constant.other.rule-id.apptainer');
  });

  it('scopes section names, app names, arguments, labels and %files from STAGE', () => {
    expect(scopesAt(6, 'arguments')).toContain('entity.name.section.apptainer');
    expect(scopesAt(7, 'BASE')).toContain('variable.parameter.argument.apptainer');
    expect(scopesAt(9, 'post')).toContain('entity.name.section.apptainer');
    expect(scopesAt(9, '-c /bin/bash')).toContain('variable.parameter.section-args.apptainer');
    expect(scopesAt(20, 'labels')).toContain('entity.name.section.apptainer');
    expect(scopesAt(21, 'Author')).toContain('entity.other.attribute-name.label.apptainer');
    expect(scopesAt(21, 'someone')).toContain('string.unquoted.label-value.apptainer');
    expect(scopesAt(23, 'apprun')).toContain('entity.name.section.app.apptainer');
    expect(scopesAt(23, 'tool')).toContain('entity.name.function.app.apptainer');
    expect(scopesAt(26, 'postt')).toContain('invalid.illegal.section.apptainer');
    expect(scopesAt(31, 'from')).toContain('keyword.other.from.apptainer');
    expect(scopesAt(31, 'build')).toContain('entity.name.type.stage.apptainer');
    expect(scopesAt(32, '/src/app')).toContain('string.unquoted.path.apptainer');
  });

  it('embeds shell in script sections only', () => {
    const keyword = scopesAt(10, 'if');
    expect(keyword).toContain('keyword.control.shell');
    expect(keyword).toContain('source.shell.embedded.apptainer');
    expect(scopesAt(12, 'fi')).toContain('keyword.control.shell');
    expect(scopesAt(24, 'exec')).toContain('source.shell.embedded.apptainer');
    expect(scopesAt(21, 'Author')).not.toContain('source.shell.embedded.apptainer');
  });

  it('ends a section where Apptainer does, even inside a heredoc', () => {
    expect(scopesAt(15, 'a = 1')).toContain('string.unquoted.heredoc.shell');
    // Apptainer starts a new section at `%files` although the shell heredoc is still open.
    expect(scopesAt(16, 'files')).toContain('entity.name.section.apptainer');
    expect(scopesAt(16, 'files')).not.toContain('string.unquoted.heredoc.shell');
    // A `Bootstrap:` line at column 0 ends the section and starts a new stage's header.
    expect(scopesAt(29, 'Bootstrap')).toContain('keyword.other.header-key.apptainer');
    expect(scopesAt(29, 'Bootstrap')).not.toContain('meta.section.unknown.apptainer');
  });

  it('marks what Apptainer rejects as invalid', () => {
    const bad = tokenize(['Bootstrap: Docker', 'Exclude: /x', '%post\t-c /bin/bash', '  echo', '%AppInstall foo', '%POST', '  if true; then :; fi'].join('\n'));
    expect(scopesAt(0, 'Docker', bad)).toContain('invalid.illegal.agent.apptainer');
    expect(scopesAt(1, 'Exclude', bad)).toContain('invalid.illegal.header-key.apptainer');
    // Only a space separates a section name from its arguments.
    expect(scopesAt(2, 'post', bad)).toContain('invalid.illegal.section.apptainer');
    // App section words must be lowercase; standard ones may be in any case.
    expect(scopesAt(4, 'AppInstall', bad)).toContain('invalid.illegal.section.apptainer');
    expect(scopesAt(5, 'POST', bad)).toContain('entity.name.section.apptainer');
    expect(scopesAt(6, 'if', bad)).toContain('keyword.control.shell');
  });

  it.skipIf(!corpusPresent)('tokenizes every corpus file, finding every section Apptainer finds', () => {
    const corpus = `${corpusDir}/files`;
    for (const name of readdirSync(corpus).filter((n) => n.endsWith('.def'))) {
      const text = readFileSync(join(corpus, name), 'utf8').replace(/\r\n/g, '\n');
      const lines = tokenize(text);
      const sectionLines = lines.filter((l) => l.tokens.some((t) => t.scopes.some((s) => s.startsWith('punctuation.definition.section')))).length;
      // Apptainer: a section starts at every line whose first word begins with `%`.
      const expected = text.split('\n').filter((line) => /^[ \t]*%/.test(line)).length;
      expect(sectionLines, name).toBe(expected);
    }
  });
});
