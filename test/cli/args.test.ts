// The shared argv parser of the commands (src/cli/args.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineCommand, listOr, parseCommandArgs, parseOrExit, reportUsageError, UsageError } from '../../src/cli/args.js';
import { UsageError as IoUsageError } from '../../src/cli/io.js';
import { parseCheckJobArgs } from '../../src/cli/commands/check-job.js';
import { parseLintArgs } from '../../src/cli/commands/lint.js';

const SPEC = defineCommand({
  name: 'apptainer-gen demo',
  usage: 'Usage: apptainer-gen demo [options] FILE...',
  options: {
    format: { type: 'string', short: 'f', choices: ['a', 'b'] },
    output: { type: 'string', short: 'o' },
    'build-arg': { type: 'string', multiple: true },
    fix: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    color: { type: 'boolean' },
    'no-color': { type: 'boolean' },
  },
});

const NO_OPERANDS = defineCommand({ name: 'apptainer-gen none', usage: 'Usage: apptainer-gen none', options: {}, positionals: false });

const parse = (argv: string[]) => parseCommandArgs(SPEC, argv);
const failure = (argv: string[], spec: Parameters<typeof parseCommandArgs>[0] = SPEC): string => {
  try {
    parseCommandArgs(spec, argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`no usage error for ${JSON.stringify(argv)}`);
};

afterEach(() => vi.restoreAllMocks());

describe('parseCommandArgs', () => {
  it('reuses the UsageError of io.ts', () => {
    expect(UsageError).toBe(IoUsageError);
  });

  it('reads long, --opt=value, short, attached short and grouped short options', () => {
    expect(parse(['--format', 'a', 'x.def']).values).toEqual({ format: 'a' });
    expect(parse(['--format=b']).values.format).toBe('b');
    expect(parse(['-f', 'a']).values.format).toBe('a');
    expect(parse(['-fb']).values.format).toBe('b');
    expect(parse(['-qf', 'a']).values).toEqual({ quiet: true, format: 'a' });
    expect(parse(['--output=x=y']).values.output).toBe('x=y');
  });

  it('collects repeatable options in order', () => {
    expect(parse(['--build-arg', 'A=1', '--build-arg=B=2', 'f']).values['build-arg']).toEqual(['A=1', 'B=2']);
  });

  it("keeps '-' as a positional (stdin) and treats everything after '--' as operands", () => {
    const parsed = parse(['-', 'a.def', '--', '--fix', '-q']);
    expect(parsed.positionals).toEqual(['-', 'a.def', '--fix', '-q']);
    expect(parsed.values).toEqual({});
    expect(parse(['-o', '-']).values.output).toBe('-');
  });

  it('handles --help and -h, even next to wrong arguments', () => {
    expect(parse(['--help']).help).toBe(true);
    expect(parse(['-h', 'x']).help).toBe(true);
    expect(parse(['--bogus', '--help']).help).toBe(true);
    expect(parse(['-f', 'zzz', '-h']).help).toBe(true);
    expect(parse(['x']).help).toBe(false);
    expect(parse(['--', '-h']).help).toBe(false);
    expect('help' in parse(['-h']).values).toBe(false);
  });

  it('reports unknown options, missing values and values given to flags', () => {
    expect(failure(['--foo'])).toBe("apptainer-gen demo: unknown option '--foo'");
    expect(failure(['--foo=1', 'x'])).toBe("apptainer-gen demo: unknown option '--foo'");
    expect(failure(['-z'])).toBe("apptainer-gen demo: unknown option '-z'");
    expect(failure(['-qz'])).toBe("apptainer-gen demo: unknown option '-z'");
    expect(failure(['x', '--format'])).toBe("apptainer-gen demo: option '--format' needs a value");
    expect(failure(['-o'])).toBe("apptainer-gen demo: option '-o' needs a value");
    expect(failure(['--output', '--fix'])).toMatch(/^apptainer-gen demo: option '--output' needs a value, got '--fix'/);
    expect(failure(['--fix=yes'])).toBe("apptainer-gen demo: option '--fix' takes no value");
  });

  it('checks the values of options with choices', () => {
    expect(failure(['--format', 'c'])).toBe("apptainer-gen demo: option '--format' must be a or b, not 'c'");
  });

  it('rejects operands when the command takes none', () => {
    expect(failure(['extra'], NO_OPERANDS)).toBe("apptainer-gen none: unexpected argument 'extra'");
    expect(parseCommandArgs(NO_OPERANDS, []).positionals).toEqual([]);
  });

  it('tells which of several options came last', () => {
    expect(parse(['--color', '--no-color']).last('color', 'no-color')?.name).toBe('no-color');
    expect(parse(['--no-color', 'x', '--color']).last('color', 'no-color')?.name).toBe('color');
    expect(parse(['x']).last('color', 'no-color')).toBeUndefined();
    expect(parse(['-o', 'a', '--output=b']).last('output')?.value).toBe('b');
  });
});

describe('parseOrExit and the messages', () => {
  function capture() {
    const io = { stdout: '', stderr: '' };
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((io.stdout += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((io.stderr += String(chunk)), true));
    return io;
  }

  it('prints the usage to stdout for --help and returns 0', () => {
    const io = capture();
    expect(parseOrExit(SPEC, ['--help'])).toBe(0);
    expect(io.stdout).toBe('Usage: apptainer-gen demo [options] FILE...\n');
    expect(io.stderr).toBe('');
  });

  it('prints a usage error with the --help hint to stderr and returns 2', () => {
    const io = capture();
    expect(parseOrExit(SPEC, ['--foo'])).toBe(2);
    expect(io.stderr).toBe("apptainer-gen demo: unknown option '--foo'\nRun 'apptainer-gen demo --help' for the options.\n");
    expect(io.stdout).toBe('');
  });

  it('reports UsageErrors thrown by the validation step the same way', () => {
    const io = capture();
    const result = parseOrExit(SPEC, ['x'], () => {
      throw new UsageError('apptainer-gen demo: bad value');
    });
    expect(result).toBe(2);
    expect(io.stderr).toBe("apptainer-gen demo: bad value\nRun 'apptainer-gen demo --help' for the options.\n");
  });

  it('returns the parsed arguments or the validated result', () => {
    expect(parseOrExit(SPEC, ['-q', 'x'], (parsed) => ({ quiet: parsed.values.quiet, files: parsed.positionals }))).toEqual({ quiet: true, files: ['x'] });
  });

  it('reportUsageError takes a plain detail too', () => {
    const io = capture();
    expect(reportUsageError(SPEC, 'no files given')).toBe(2);
    expect(io.stderr).toBe("apptainer-gen demo: no files given\nRun 'apptainer-gen demo --help' for the options.\n");
  });

  it('listOr', () => {
    expect(listOr(['a'])).toBe('a');
    expect(listOr(['a', 'b', 'c'])).toBe('a, b or c');
  });
});

describe('command option tables', () => {
  it('lint: every option, alias and form', () => {
    const args = parseLintArgs([
      '-f',
      'sarif',
      '-o',
      'out.sarif',
      '-c',
      'conf.yaml',
      '--print-config=x.def',
      '--fix',
      '--force',
      '--no-shellcheck',
      '--shellcheck-path',
      '/opt/sc',
      '--build-arg',
      'A=1',
      '--build-arg=B=x=y',
      '--build-arg-file',
      'f1',
      '--build-arg-file=f2',
      '--fail-on',
      'none',
      '--rule',
      'DEF990=off',
      '--rule=DEF992=error',
      '--stdin-filename',
      's.def',
      '--no-color',
      '-q',
      '--ignore-pattern',
      'fixtures/',
      '--ignore-pattern=*.bak.def',
      '--max-warnings',
      '3',
      '-',
      'a.def',
    ]);
    expect(args).toEqual({
      operands: ['-', 'a.def'],
      format: 'sarif',
      output: 'out.sarif',
      config: 'conf.yaml',
      printConfig: 'x.def',
      fix: true,
      force: true,
      fixDryRun: false,
      shellcheck: false,
      shellcheckPath: '/opt/sc',
      buildArgs: { A: '1', B: 'x=y' },
      buildArgFiles: ['f1', 'f2'],
      failOn: 'none',
      rules: { DEF990: 'off', DEF992: 'error' },
      ignorePatterns: ['fixtures/', '*.bak.def'],
      maxWarnings: 3,
      init: false,
      version: false,
      stdinFilename: 's.def',
      color: false,
      quiet: true,
      help: false,
    });
    expect(parseLintArgs(['-v'])).toMatchObject({ version: true });
    expect(parseLintArgs(['--init'])).toMatchObject({ init: true });
    expect(parseLintArgs([])).toMatchObject({ format: 'stylish', operands: [], shellcheck: true, color: undefined, fix: false });
    expect(parseLintArgs(['--no-color', '--color']).color).toBe(true);
    expect(parseLintArgs(['--', '--weird.def']).operands).toEqual(['--weird.def']);
  });

  it('lint: value checks', () => {
    expect(() => parseLintArgs(['-f', 'xml'])).toThrow(
      "option '--format' must be stylish, json, sarif, checkstyle, gnu, github, junit or codequality, not 'xml'",
    );
    expect(() => parseLintArgs(['--stdin-filename', 'x.def', 'a.def'])).toThrow(/--stdin-filename names standard input/);
    expect(() => parseLintArgs(['--max-warnings', '-1'])).toThrow(/--max-warnings/);
    expect(() => parseLintArgs(['--fail-on', 'fatal'])).toThrow(/--fail-on/);
    expect(() => parseLintArgs(['--rule', 'DEF990'])).toThrow(/KEY=VALUE/);
    expect(() => parseLintArgs(['--rule', 'DEF990=loud'])).toThrow(/severity must be/);
    expect(() => parseLintArgs(['--build-arg', '=x'])).toThrow(/KEY=VALUE/);
    expect(() => parseLintArgs(['--fix', '--fix-dry-run'])).toThrow(/exclude each other/);
    expect(() => parseLintArgs(['--quiet=1'])).toThrow(/takes no value/);
  });

  it('check-job: --image, -i and --def; formats; colour', () => {
    expect(parseCheckJobArgs(['job.sh', '--image', 'a.def'])).toEqual({
      job: 'job.sh',
      image: 'a.def',
      format: 'stylish',
      output: undefined,
      color: undefined,
      help: false,
    });
    expect(parseCheckJobArgs(['-i', 'a.def', '-', '-f', 'json', '-o', 'r.json', '--no-color'])).toMatchObject({
      job: '-',
      image: 'a.def',
      format: 'json',
      output: 'r.json',
      color: false,
    });
    expect(parseCheckJobArgs(['--def=b.def', 'j.sh']).image).toBe('b.def');
    expect(parseCheckJobArgs(['--def', 'b.def', '--image', '-', 'j.sh']).image).toBe('-');
    expect(() => parseCheckJobArgs(['j.sh', '--format', 'sarif'])).toThrow(/must be stylish or json/);
    expect(() => parseCheckJobArgs(['a.sh', 'b.sh'])).toThrow(/only one job script/);
  });
});
