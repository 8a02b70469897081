import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  allRules,
  configToJSON,
  findConfigFile,
  loadConfigFile,
  loadConfigFor,
  parseConfigText,
  prepareConfig,
  resolveConfig,
} from '../../../src/lint/index.js';
import { severitiesFor } from '../../../src/lint/presets.js';
import { tempTree } from './helpers.js';

async function configError(text: string): Promise<ConfigError> {
  try {
    await parseConfigText(text, 'cfg.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('config parsing and validation', () => {
  it('accepts a full configuration, with ids and slugs', async () => {
    const config = await parseConfigText(
      [
        'extends: [recommended, hpc]',
        'rules:',
        '  DEF990: warning',
        '  invalid-pragma: [error, {}]',
        '  SC2086: off',
        'overrides:',
        '  - files: "legacy/*.def"',
        '    rules: { unused-ignore-pragma: off }',
        'failOn: warning',
        'trustedRegistries: [docker.io]',
        'requiredLabels: [maintainer]',
        'labelSchema: { version: "^\\\\d+" }',
        'shellcheck: { enabled: true, exclude: [SC1091], severity: warning }',
      ].join('\n'),
    );
    expect(config.extends).toEqual(['recommended', 'hpc']);
    expect(config.failOn).toBe('warning');
  });

  it('reports unknown keys at their line and column', async () => {
    const error = await configError('rules:\n  DEF990: warning\nfailon: error\n');
    expect(error.message).toContain("unknown key 'failon'");
    expect([error.line, error.column]).toEqual([3, 1]);
    expect(error.format()).toMatch(/^cfg\.yaml:3:1: /);
  });

  it('reports bad severities at the value', async () => {
    const error = await configError('rules:\n  DEF990: loud\n');
    expect(error.line).toBe(2);
    expect(error.column).toBe(11);
  });

  it('reports unknown rule names with a suggestion', async () => {
    const error = await configError('rules:\n  unused-ignore-pragmas: off\n');
    expect(error.message).toContain("unknown rule 'unused-ignore-pragmas'");
    expect(error.message).toContain("did you mean 'unused-ignore-pragma'");
    expect([error.line, error.column]).toEqual([2, 3]);
  });

  it('reports YAML syntax errors with a position', async () => {
    const error = await configError('rules:\n  DEF990: [warning\n');
    expect(error.message).toMatch(/invalid YAML/);
    expect(error.line).toBeGreaterThanOrEqual(2);
  });

  it('rejects invalid labelSchema patterns and unknown presets', async () => {
    expect((await configError('labelSchema:\n  v: "("\n')).line).toBe(2);
    expect((await configError('extends: relaxed\n')).message).toMatch(/extends/);
  });

  it('rejects options for a rule without an options schema', async () => {
    const error = await configError('rules:\n  DEF990: [warning, {x: 1}]\n');
    expect(error.message).toContain('takes no options');
  });
});

describe('rule options', () => {
  const ruleWithOptions = allRules.find((rule) => (rule.meta.optionsSchema as { additionalProperties?: unknown } | undefined)?.additionalProperties === false);

  it.skipIf(!ruleWithOptions)('validates options against the rule schema and applies defaults', async () => {
    const { id, slug } = ruleWithOptions!.meta;
    const error = await configError(`rules:\n  ${slug}:\n    - warning\n    - notAnOption: 1\n`);
    expect(error.message).toContain(`options of rule '${slug}'`);
    expect(error.line).toBe(4);
    const resolved = resolveConfig(await parseConfigText(`rules:\n  ${id}: [warning, {}]\n`));
    const properties = (ruleWithOptions!.meta.optionsSchema as { properties: Record<string, { default?: unknown }> }).properties;
    for (const [name, property] of Object.entries(properties)) {
      if ('default' in property) expect(resolved.rules[id].options[name]).toEqual(property.default);
    }
  });
});

describe('config lookup', () => {
  it('finds the nearest .apptainer-lint.yaml or .yml upward', async () => {
    const root = tempTree({
      '.apptainer-lint.yaml': 'failOn: warning\n',
      'a/b/x.def': '',
      'c/.apptainer-lint.yml': 'failOn: info\n',
      'c/d/y.def': '',
    });
    expect(findConfigFile(join(root, 'a/b'))).toBe(join(root, '.apptainer-lint.yaml'));
    expect((await loadConfigFor(join(root, 'a/b/x.def'))).failOn).toBe('warning');
    expect((await loadConfigFor(join(root, 'c/d/y.def'))).failOn).toBe('info');
    expect((await loadConfigFor(join(root, 'c/d/y.def'))).configFile).toBe(join(root, 'c/.apptainer-lint.yml'));
  });

  it('gives ConfigError with the file name for a broken file', async () => {
    const root = tempTree({ '.apptainer-lint.yaml': 'rules: [1, 2]\n' });
    await expect(loadConfigFile(join(root, '.apptainer-lint.yaml'))).rejects.toMatchObject({ file: join(root, '.apptainer-lint.yaml'), line: 1 });
  });
});

describe('config resolution', () => {
  it('recommended keeps default severities; strict turns off and info rules into warnings', () => {
    const recommended = severitiesFor(['recommended'], allRules);
    const strict = severitiesFor(['strict'], allRules);
    for (const rule of allRules) {
      const expectedDefault = rule.meta.defaultSeverity === 'off' && rule.meta.presets.includes('recommended') ? 'warning' : rule.meta.defaultSeverity;
      expect(recommended.get(rule.meta.id)).toBe(expectedDefault);
      expect(strict.get(rule.meta.id)).not.toBe('off');
    }
    expect(recommended.get('DEF991')).toBe('off');
    expect(strict.get('DEF991')).toBe('warning');
  });

  it('hpc and security build on recommended', () => {
    const hpc = severitiesFor(['hpc'], allRules);
    for (const rule of allRules) {
      if (rule.meta.presets.includes('hpc')) expect(hpc.get(rule.meta.id)).not.toBe('off');
      else expect(hpc.get(rule.meta.id)).toBe(severitiesFor(['recommended'], allRules).get(rule.meta.id));
    }
  });

  it('applies rules, overrides by glob (relative to the config file) and CLI settings in order', async () => {
    const config = await parseConfigText(
      [
        'rules:',
        '  DEF990: error',
        'overrides:',
        '  - files: "legacy/**"',
        '    rules: { unused-ignore-pragma: off }',
        '  - files: "*.special.def"',
        '    rules: { DEF991: info }',
      ].join('\n'),
    );
    config.configFile = '/repo/.apptainer-lint.yaml';
    await prepareConfig(config);
    expect(resolveConfig(config, { filename: '/repo/app.def' }).rules.DEF990.severity).toBe('error');
    expect(resolveConfig(config, { filename: '/repo/legacy/old.def' }).rules.DEF990.severity).toBe('off');
    expect(resolveConfig(config, { filename: '/repo/deep/x.special.def' }).rules.DEF991.severity).toBe('info');
    expect(resolveConfig(config, { filename: '/repo/legacy/old.def', ruleOverrides: { DEF990: 'style' } }).rules.DEF990.severity).toBe('style');
  });

  it('marks user-set severities explicit and fills defaults', () => {
    const resolved = resolveConfig({ rules: { 'invalid-pragma': 'error', SC2086: 'off' } });
    expect(resolved.rules.DEF992).toMatchObject({ severity: 'error', explicit: true });
    expect(resolved.rules.DEF990.explicit).toBe(false);
    expect(resolved.shellCheckRules).toEqual({ SC2086: 'off' });
    expect(resolved.failOn).toBe('error');
    expect(resolved.shellcheck.enabled).toBe(true);
    expect(resolveConfig({ shellcheck: false }).shellcheck.enabled).toBe(false);
    expect(resolveConfig({}, { shellcheck: false }).shellcheck.enabled).toBe(false);
  });

  it('prints as plain JSON', () => {
    const json = configToJSON(resolveConfig({ failOn: 'warning', buildArgs: { A: '1' } }, { buildArgs: { B: '2' } }));
    expect(json).toMatchObject({ failOn: 'warning', buildArgs: { A: '1', B: '2' }, extends: ['recommended'] });
    expect(Object.keys(json.rules as object)).toContain('DEF990');
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
