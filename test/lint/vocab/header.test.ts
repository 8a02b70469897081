// The one `agentOf`: a stage's bootstrap agent as Apptainer reads it, placeholders resolved.
import { describe, expect, it } from 'vitest';
import { lint } from '../../../src/lint/index.js';
import { parse } from '../../../src/parse/index.js';
import { resolvedHeaderOf } from '../../../src/lint/engine.js';
import { agentOf, knownAgent } from '../../../src/lint/vocab/header.js';

const resolver = (buildArgs: Record<string, string> = {}) => ({
  resolvedHeader: (stage: Parameters<typeof resolvedHeaderOf>[0], key: string) => resolvedHeaderOf(stage, key, buildArgs),
});

const templatedAgent = 'Bootstrap: {{ AGENT }}\nFrom: ubuntu\n\n%arguments\n    AGENT=docker\n\n%post\n    echo hi\n';

describe('agentOf', () => {
  it('resolves a templated Bootstrap from %arguments and --build-arg', () => {
    const [stage] = parse(templatedAgent).stages;
    expect(agentOf(resolver(), stage)).toBe('docker');
    expect(agentOf(resolver({ AGENT: 'library' }), stage)).toBe('library');
    expect(knownAgent(resolver(), stage)).toBe('docker');
  });

  it('keeps an unresolvable placeholder and the case as written', () => {
    const [unresolved] = parse('Bootstrap: {{ AGENT }}\nFrom: ubuntu\n').stages;
    expect(agentOf(resolver(), unresolved)).toBe('{{ AGENT }}');
    expect(knownAgent(resolver(), unresolved)).toBeUndefined();
    const [upper] = parse('Bootstrap: Docker\nFrom: ubuntu\n').stages;
    expect(agentOf(resolver(), upper)).toBe('Docker');
    expect(knownAgent(resolver(), upper)).toBeUndefined();
  });

  it('is undefined without Bootstrap', () => {
    const [stage] = parse('From: ubuntu\n').stages;
    expect(agentOf(resolver(), stage)).toBeUndefined();
  });
});

describe('rules see the resolved agent', () => {
  it('DEF401 flags an untagged From under `Bootstrap: {{ AGENT }}` with AGENT=docker', async () => {
    const findings = await lint(templatedAgent, { shellcheck: false });
    expect(findings.filter((f) => f.ruleId === 'DEF401').map((f) => f.range.start.line)).toEqual([2]);
  });
});
