import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../../src/lint/index.js';
import { formatResults, type FileResult } from '../../../src/report/index.js';
import { registerTestRules } from './test-rules.js';

let unregister: () => void;
let results: FileResult[];

const TEXT = [
  'Bootstrap: docker',
  'From: alpine',
  '%post',
  '    echo "a,b:c" # apptainer-lint ignore=DEF997 -- demo',
  '    echo "héllo 😀" && echo x',
  '',
].join('\n');

beforeAll(async () => {
  unregister = registerTestRules();
  const findings = (await lint(TEXT, { shellcheck: false })).filter((f) => f.ruleId === 'DEF997');
  results = [
    { path: 'dir/app.def', text: TEXT, findings },
    { path: 'clean.def', text: 'Bootstrap: docker\n', findings: [] },
  ];
});
afterAll(() => unregister());

const options = { color: false, version: '0.1.0' };
// Where the two unsuppressed `echo`s are on line 5.
const LINE5 = TEXT.split('\n')[4];
const FIRST = TEXT.indexOf('echo "h');
const SECOND_IN_LINE = LINE5.lastIndexOf('echo');
const SECOND_COLUMN = [...LINE5.slice(0, SECOND_IN_LINE)].length + 1; // code points
const SECOND_UTF16_COLUMN = SECOND_IN_LINE + 1;

describe('reports', () => {
  it('json: flat array with 1-based positions, without suppressed findings', async () => {
    const rows = JSON.parse(await formatResults('json', results, options));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({
      file: 'dir/app.def',
      line: 5,
      column: 5,
      endLine: 5,
      endColumn: 9,
      ruleId: 'DEF997',
      severity: 'warning',
      message: 'echo used',
      fix: { description: 'use printf', edits: [{ start: FIRST, end: FIRST + 4, text: 'printf' }] },
    });
    // Columns count code points: the emoji is one column.
    expect(rows[1].column).toBe(SECOND_COLUMN);
    expect(SECOND_UTF16_COLUMN).toBe(SECOND_COLUMN + 1);
  });

  it('gnu: file:line:col: severity: message [id]', async () => {
    expect(await formatResults('gnu', results, options)).toBe(
      `dir/app.def:5:5: warning: echo used [DEF997]\ndir/app.def:5:${SECOND_COLUMN}: warning: echo used [DEF997]\n`,
    );
  });

  it('github: workflow commands with escaped properties', async () => {
    const out = await formatResults('github', [{ ...results[0], path: 'a,b:c.def' }], options);
    expect(out.split('\n')[0]).toBe('::warning file=a%2Cb%3Ac.def,line=5,col=5,endLine=5,endColumn=9,title=DEF997 test-echo::echo used');
  });

  it('checkstyle and junit: well-formed XML with escaped text', async () => {
    const checkstyle = await formatResults('checkstyle', [{ ...results[0], path: 'a&b.def' }], options);
    expect(checkstyle).toContain('<file name="a&amp;b.def">');
    expect(checkstyle).toContain('<error line="5" column="5" severity="warning" message="echo used" source="apptainer-lint.DEF997"/>');
    const junit = await formatResults('junit', results, options);
    expect(junit).toContain('<testsuites name="apptainer-lint" tests="3" failures="2">');
    expect(junit).toContain('<testsuite name="clean.def" tests="1" failures="0" errors="0">');
    expect(junit.match(/<failure /g)).toHaveLength(2);
  });

  it('codequality: GitLab issues, fingerprints unique and unmoved by lines added above', async () => {
    type Issue = { check_name: string; fingerprint: string; severity: string; description: string; location: { path: string; lines: { begin: number } } };
    const issues = JSON.parse(await formatResults('codequality', results, options)) as Issue[];
    // Two `echo`s on one line: same rule, same line text, still two fingerprints.
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatchObject({ check_name: 'DEF997 test-echo', severity: 'minor', location: { path: 'dir/app.def', lines: { begin: 5 } } });
    expect(issues[0].description).toContain('echo used');
    expect(issues[0].fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(issues[1].fingerprint).not.toBe(issues[0].fingerprint);

    const shifted = `# a comment\n${TEXT.replace('%post', '%post\n    true')}`;
    const findings = (await lint(shifted, { shellcheck: false })).filter((f) => f.ruleId === 'DEF997');
    const moved = JSON.parse(await formatResults('codequality', [{ path: 'dir/app.def', text: shifted, findings }], options)) as Issue[];
    expect(moved.map((issue) => issue.location.lines.begin)).toEqual([7, 7]);
    expect(moved.map((issue) => issue.fingerprint)).toEqual(issues.map((issue) => issue.fingerprint));
    const renamed = JSON.parse(await formatResults('codequality', [{ ...results[0], path: 'other.def' }], options)) as Issue[];
    expect(renamed[0].fingerprint).not.toBe(issues[0].fingerprint);
  });

  it('stylish: grouped, code frame with carets, summary, no colour when disabled', async () => {
    const out = await formatResults('stylish', results, options);
    expect(out).toContain('dir/app.def\n  5:5     warning echo used  DEF997/test-echo\n    5 |     echo "héllo 😀" && echo x\n      |     ^^^^\n');
    expect(out).toContain('2 problems (0 errors, 2 warnings, 0 info, 0 style)');
    expect(out.endsWith('2 problems fixable with --fix\n')).toBe(true);
    expect(out).not.toContain('clean.def');
    expect(out).not.toContain('\u001b[');
    const colored = await formatResults('stylish', results, { ...options, color: true });
    expect(colored).toContain('\u001b[');
    expect(colored.endsWith('fixable with --fix\u001b[22m\n')).toBe(true);
    expect(await formatResults('stylish', [results[1]], options)).toBe('');
  });

  it('sarif: valid SARIF 2.1.0 with rules, exact regions, fixes and suppressions', async () => {
    const log = JSON.parse(await formatResults('sarif', results, options));
    const schema = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
    );
    // The schema declares draft-04 but uses nothing draft-07 reads differently except the
    // top-level `id` (draft-07: `$id`).
    delete schema.$schema;
    schema.$id = schema.id;
    delete schema.id;
    // ajv is CommonJS: its default export is the class itself at run time.
    const Ajv = ((AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule) as unknown as typeof AjvModule.default;
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);

    const run = log.runs[0];
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.tool.driver.rules).toEqual([
      expect.objectContaining({ id: 'DEF997', name: 'TestEcho', helpUri: 'https://github.com/apptainer-gen/apptainer-gen/blob/main/docs/rules/DEF997.md' }),
    ]);
    expect(run.results).toHaveLength(3);
    const [suppressed, first, second] = run.results;
    expect(suppressed.suppressions).toEqual([{ kind: 'inSource', justification: 'demo' }]);
    expect(first.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'dir/app.def', uriBaseId: '%SRCROOT%' },
      region: { startLine: 5, startColumn: 5, endLine: 5, endColumn: 9, charOffset: FIRST, charLength: 4 },
    });
    // UTF-16 columns: the emoji counts two.
    expect(second.locations[0].physicalLocation.region.startColumn).toBe(SECOND_UTF16_COLUMN);
    expect(first.fixes[0].artifactChanges[0].replacements[0]).toEqual({
      deletedRegion: { startLine: 5, startColumn: 5, endLine: 5, endColumn: 9, charOffset: FIRST, charLength: 4 },
      insertedContent: { text: 'printf' },
    });
    expect(first.partialFingerprints['apptainer-lint/v1']).not.toBe(second.partialFingerprints['apptainer-lint/v1']);
  });

  it('sarif: read errors become tool execution notifications', async () => {
    const log = JSON.parse(await formatResults('sarif', [{ path: 'gone.def', text: '', findings: [], error: 'cannot read file (ENOENT)' }], options));
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(log.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toContain('ENOENT');
  });
});
