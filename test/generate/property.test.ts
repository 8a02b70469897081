// Property: any schema-valid recipe either is rejected with located errors or yields a def that
// parses clean, whose shell sections and job script pass `bash -n`/`sh -n`, and that lints clean
// under the recommended and hpc presets with ShellCheck on (issue 10).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { generate } from '../../src/generate/index.js';
import { shQuote } from '../../src/generate/emit.js';
import { spawnSync } from 'node:child_process';
import { lintProblems, parseProblems, shellSyntaxProblems } from './helpers.js';

// User script lines quote their text the way the generator does, so they are clean shell themselves
// (a literal `$x` in single quotes is ShellCheck's SC2016): lint findings then come from the generator.
const quote = (s: string) => shQuote(s);

/** Printable text with the characters most likely to break quoting. */
const tricky = fc
  .string({
    unit: fc.constantFrom('a', 'Z', '0', ' ', '"', "'", '\\', '$', '`', '%', '#', '{', '}', '(', ';', '&', '|', '*', ':', '=', '-', '/', 'é', '\u00a0'),
    maxLength: 16,
    // Stray '{{' is always rejected (see injection.test.ts); keeping it rare leaves more accepted recipes.
  })
  .map((t) => t.replace(/\{\{/g, '{ {'));
const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
/**
 * Environment values: tricky text whose `$NAME` references name upper-case variables, as the
 * environment's do; a lower-case one that nothing assigns is the recipe's bug (ShellCheck SC2154).
 */
/** A program and its arguments (the schema rejects a program starting with '-'). */
const argv = fc.tuple(word, fc.array(tricky, { maxLength: 2 })).map(([program, args]) => [program, ...args]);
const envValue = tricky.map((t) => t.replace(/\$(\{?)([a-z])/g, (_m, brace: string, c: string) => `$${brace}${c.toUpperCase()}`));
const envName = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/);
const absPath = fc.array(word, { minLength: 1, maxLength: 3 }).map((parts) => '/opt/' + parts.join('/'));
/** Shell lines that are valid on their own, with tricky text safely quoted. */
const shellLine = fc.oneof(
  tricky.map((t) => `printf '%s\\n' ${quote(t)}`),
  word.map((w) => `mkdir -p "$APP_PREFIX/${w}"`),
  word.map((w) => `echo ${w}`),
  fc.constant('true'),
  tricky.map((t) => `  printf '%s\\n' ${quote(t)}`),
);
const script = fc.array(shellLine, { minLength: 1, maxLength: 5 }).map((l) => l.join('\n') + '\n');
/** Help text lines: free text, but a line may not start with '%' or 'Bootstrap:' (the schema forbids it). */
const helpText = fc
  .array(
    tricky.map((t) => `Note ${t}`),
    { minLength: 1, maxLength: 3 },
  )
  .map((l) => l.join('\n'));

// Issue 17: application sources, build options and Python pins (tricky text only where the schema allows it).
const gitUrl = word.map((w) => `https://example.org/${w}.git`);
const gitRef = fc.oneof(fc.stringMatching(/^v[0-9]\.[0-9]$/), fc.constant('main'), fc.stringMatching(/^[0-9a-f]{40}$/));
const buildOption = fc.oneof(
  word.map((w) => `-D${w.toUpperCase()}=on`),
  tricky.filter((t) => t.length > 0).map((t) => `--with-${t}`),
  fc.constant('-DDIR=$APP_PREFIX/share'),
);
const pipPin = fc.tuple(word, fc.stringMatching(/^[0-9]\.[0-9]{1,2}$/)).map(([n, v]) => `${n}==${v}`);
/** Mostly absent: new fields must not make most random recipes invalid. */
const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: arb, weight: 1 });
const condaPin = fc.tuple(word, fc.stringMatching(/^[0-9]\.[0-9]{1,2}$/)).map(([n, v]) => `${n}=${v}`);

const mpi = fc.oneof(
  fc.constant(undefined),
  fc.record(
    {
      model: fc.constantFrom('hybrid', 'pmi', 'bind'),
      impl: fc.constantFrom('openmpi', 'mpich', 'mvapich2', 'intelmpi'),
      version: fc.constantFrom(undefined, '4.1.6', '5.0.5', '4.1.2', '2.3.7', '2021.13'),
      source: fc.constantFrom(undefined, 'tarball', 'distro', 'oneapi'),
      fortran: fc.boolean(),
      pmi: fc.record(
        { interface: fc.constantFrom('pmix', 'pmi2', 'pmi1', 'cray_shasta', 'none'), provider: fc.constantFrom('distro', 'source', 'bundled') },
        { requiredKeys: ['interface'] },
      ),
      fabric: fc.record(
        { transports: fc.subarray(['ucx', 'ofi', 'verbs', 'psm2', 'tcp'] as const), source: fc.constantFrom('distro', 'tarball') },
        { requiredKeys: [] },
      ),
      compat: fc.record({ usernsShmWorkaround: fc.constantFrom('proc_link', 'sysv', 'off'), disableCma: fc.boolean() }, { requiredKeys: [] }),
      bind: fc.record(
        { hostPrefix: absPath, extraBinds: fc.array(absPath, { maxLength: 2 }), libPaths: fc.array(absPath, { maxLength: 2 }) },
        { requiredKeys: ['hostPrefix'] },
      ),
      configure: fc.array(fc.stringMatching(/^--(enable|with)-[a-z][a-z0-9-]{0,8}(=[a-z0-9/._-]{1,8})?$/), { maxLength: 2 }),
    },
    { requiredKeys: ['model', 'impl'] },
  ),
);

const base = fc.oneof(
  fc.record({
    image: fc.constantFrom(
      'ubuntu:22.04',
      'ubuntu:24.04',
      'debian:bookworm',
      'debian:trixie',
      'rockylinux:9',
      'rockylinux:8',
      'almalinux:10',
      'fedora:41',
      'opensuse/leap:15.5',
      'nvidia/cuda:12.4.1-devel-ubuntu22.04',
      'nvidia/cuda:12.6.2-devel-rockylinux9',
      'rocm/dev-ubuntu-22.04:6.1.1',
    ),
    arch: fc.constantFrom(undefined, 'x86_64', 'aarch64', 'ppc64le'),
  }),
  fc.constant({ bootstrap: 'debootstrap', osVersion: 'bookworm', mirrorUrl: 'http://deb.debian.org/debian' }),
  fc.constant({ bootstrap: 'debootstrap', osVersion: 'noble', mirrorUrl: 'http://archive.ubuntu.com/ubuntu' }),
  fc.constant({ bootstrap: 'zypper', osVersion: '15.5', mirrorUrl: 'http://download.opensuse.org/distribution/leap/15.5/repo/oss/' }),
  fc.constant({ bootstrap: 'dnf', osVersion: '9', mirrorUrl: 'http://dl.rockylinux.org/pub/rocky/%{OSVERSION}/BaseOS/x86_64/os/' }),
);

const recipe = fc
  .record(
    {
      apiVersion: fc.constant('apptainer-gen/v1'),
      name: fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,12}$/),
      description: tricky,
      base,
      mpi,
      gpu: fc.record(
        {
          vendor: fc.constantFrom('none', 'nvidia', 'amd'),
          awareMpi: fc.boolean(),
          gdrcopy: fc.boolean(),
          cuda: fc.record({ version: fc.constantFrom('12.4.1', '11.8.0'), archs: fc.subarray(['sm_80', 'sm_90']) }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      ),
      packages: fc.record(
        {
          repos: rarely(fc.record({ epel: fc.boolean(), crb: fc.boolean(), components: fc.subarray(['universe', 'contrib'] as const) }, { requiredKeys: [] })),
          aliases: fc.subarray(['compilers', 'cmake', 'git', 'python3', 'hwloc', 'numa', 'fetch'] as const),
          apt: fc.array(fc.stringMatching(/^[a-z][a-z0-9+.-]{1,10}$/), { maxLength: 2 }),
          dnf: fc.array(fc.stringMatching(/^[a-z][a-z0-9+.-]{1,10}$/), { maxLength: 2 }),
        },
        { requiredKeys: [] },
      ),
      arguments: fc.dictionary(fc.stringMatching(/^[A-Z][A-Z0-9_]{0,6}$/), fc.stringMatching(/^[a-z0-9.:/-]{1,10}$/), { maxKeys: 2 }),
      app: fc.oneof(
        fc.record({ build: fc.record({ script }), installPrefix: fc.constantFrom('/opt/app', '/opt/tool', '/usr/local/app') }, { requiredKeys: ['build'] }),
        fc.record(
          {
            source: fc.oneof(
              fc.record(
                { git: fc.record({ url: gitUrl, ref: gitRef, submodules: fc.boolean() }, { requiredKeys: ['url'] }), subdir: fc.constantFrom('cmake', 'src') },
                { requiredKeys: ['git'] },
              ),
              fc.constantFrom({ path: 'src/app' }, { path: 'app-1.0.tar.gz', sha256: 'a'.repeat(64) }),
            ),
            build: fc.record(
              {
                system: fc.constantFrom('cmake', 'autotools', 'make', 'meson'),
                options: fc.array(buildOption, { maxLength: 3 }),
                buildType: fc.constantFrom('Release', 'Debug'),
                compilers: rarely(fc.constantFrom('mpi', 'system')),
              },
              { requiredKeys: ['system'] },
            ),
          },
          { requiredKeys: ['build'] },
        ),
      ),
      python: rarely(
        fc.oneof(
          fc.record({ pip: fc.record({ requirements: fc.array(pipPin, { maxLength: 2 }), mpi4py: rarely(fc.constant('3.1.6')) }, { requiredKeys: [] }) }),
          fc.record({
            conda: fc.record(
              {
                packages: fc.array(condaPin, { minLength: 1, maxLength: 2 }),
                mpi4py: rarely(fc.constant('3.1.6')),
                micromamba: fc.constant({ sha256: 'b'.repeat(64) }),
              },
              { requiredKeys: ['packages'] },
            ),
          }),
        ),
      ),
      env: fc.dictionary(envName, envValue, { maxKeys: 3 }),
      labels: fc.dictionary(word, tricky, { maxKeys: 3 }),
      files: fc.array(fc.record({ src: word, dst: absPath, stage: fc.constantFrom('build', 'final') }), { maxLength: 2 }),
      help: helpText,
      runscript: fc.oneof(script, fc.record({ exec: argv, passArgs: fc.boolean() })),
      startscript: script,
      test: script,
      apps: fc.dictionary(
        fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/),
        fc.record({ run: script, help: helpText, env: fc.dictionary(envName, envValue, { maxKeys: 2 }) }, { requiredKeys: [] }),
        { maxKeys: 2 },
      ),
      stages: fc.record({ multistage: fc.boolean() }, { requiredKeys: [] }),
      jobScript: fc.record(
        {
          nodes: fc.integer({ min: 1, max: 64 }),
          ntasksPerNode: fc.integer({ min: 1, max: 128 }),
          extraEnv: fc.dictionary(envName, tricky, { maxKeys: 2 }),
          command: argv,
          binds: fc.array(absPath, { maxLength: 2 }),
          launcher: fc.constantFrom('srun', 'mpirun'),
          cpusPerTask: rarely(fc.integer({ min: 1, max: 16 })),
          gpusPerNode: rarely(fc.integer({ min: 1, max: 8 })),
          gpusPerTask: rarely(fc.integer({ min: 1, max: 2 })),
          gpuBind: rarely(fc.constantFrom('closest', 'single', 'none', 'local-rank')),
          scheduler: rarely(fc.constantFrom('slurm', 'none')),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['apiVersion', 'name', 'base'] },
  )
  .map((r) => {
    // Use each build argument somewhere, as {{ NAME }}, so templating is exercised too.
    const names = Object.keys(r.arguments ?? {});
    if (names.length) r.env = { ...(r.env ?? {}), ...Object.fromEntries(names.map((n) => [`ARG_${n}`, `v={{ ${n} }}`])) };
    // Repositories the base distribution has (the others are rejected, see issue17.test.ts).
    const repos = r.packages?.repos;
    if (repos) {
      const base = JSON.stringify(r.base);
      const el = /rocky|alma|dnf/.test(base);
      const component = /ubuntu|noble/.test(base) ? 'universe' : /debian|bookworm|trixie/.test(base) ? 'contrib' : undefined;
      r.packages!.repos = {
        ...(el ? { epel: repos.epel, crb: repos.crb } : {}),
        components: (repos.components ?? []).filter((c) => c === component),
      };
    }
    return r;
  });

/** Drops undefined members so the YAML has only keys the schema allows. */
function clean(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

describe('random recipes', () => {
  it('parse clean and pass shell syntax checks whenever they are accepted', () => {
    let accepted = 0;
    fc.assert(
      fc.property(recipe, (r) => {
        const text = stringify(clean(r));
        const result = generate(text, { filename: 'random.yaml' });
        if (!result.ok) {
          if (process.env.FC_DEBUG) for (const e of result.errors) console.log('REJECT', e.message.slice(0, 60));
          for (const e of result.errors) {
            expect(e.line).toBeGreaterThanOrEqual(1);
            expect(e.column).toBeGreaterThanOrEqual(1);
            expect(e.message.length).toBeGreaterThan(0);
          }
          return;
        }
        accepted++;
        expect(parseProblems(result.def)).toEqual([]);
        expect(shellSyntaxProblems(result.def)).toEqual([]);
        if (result.jobScript) {
          const job = spawnSync('bash', ['-n'], { input: result.jobScript, encoding: 'utf8' });
          expect(job.stderr).toBe('');
        }
        expect(generate(text, { filename: 'random.yaml' })).toEqual(result);
      }),
      { numRuns: 200, seed: Number(process.env.FC_SEED ?? 20261129) },
    );
    // The generators must mostly produce acceptable recipes, or the property proves little.
    expect(accepted).toBeGreaterThan(70);
  }, 120_000);

  it('lint clean (recommended and hpc, ShellCheck on) whenever they are accepted', async () => {
    let linted = 0;
    await fc.assert(
      fc.asyncProperty(recipe, async (r) => {
        const result = generate(stringify(clean(r)), { filename: 'random.yaml' });
        if (!result.ok) return;
        linted++;
        // Both presets, ShellCheck on: ~1.5 s an accepted recipe on a busy 2-core machine, so 40 runs.
        expect([...(await lintProblems(result.def, 'random.def', 'recommended')), ...(await lintProblems(result.def, 'random.def', 'hpc'))]).toEqual([]);
      }),
      { numRuns: 40, seed: Number(process.env.FC_SEED ?? 20261129) },
    );
    expect(linted).toBeGreaterThan(6);
  }, 300_000);
});

describe('arbitrary input', () => {
  it('never throws: bad input always comes back as located errors', () => {
    const yamlish = fc.string({
      unit: fc.constantFrom(
        'a',
        ':',
        ' ',
        '-',
        '\n',
        '[',
        ']',
        '{',
        '}',
        '"',
        "'",
        '&',
        '*',
        '!',
        '#',
        '|',
        '>',
        '%',
        '@',
        '`',
        '\t',
        '\u00a0',
        'apiVersion',
        'name',
        'mpi',
        'model',
      ),
      maxLength: 200,
    });
    fc.assert(
      fc.property(yamlish, (text) => {
        const result = generate(text, { filename: 'fuzz.yaml' });
        if (!result.ok) for (const e of result.errors) expect(e.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 500, seed: Number(process.env.FC_SEED ?? 20261129) },
    );
  });

  it('rejects pathological nesting without crashing', () => {
    for (const text of ['['.repeat(100_000), '- '.repeat(50_000) + 'x', 'a:\n' + ' '.repeat(5000) + 'b: 1\n']) {
      const result = generate(text, { filename: 'deep.yaml' });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors[0].message).toContain('nesting deeper than 200 levels');
    }
  });
});
