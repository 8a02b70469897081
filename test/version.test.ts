// The version printed by the CLI and written into generated labels matches package.json, and the
// library entry point exposes the three parts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { VERSION } from '../src/version.js';

describe('package', () => {
  it('src/version.ts matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });

  it('the library entry parses, lints and generates', async () => {
    const text = 'Bootstrap: docker\nFrom: alpine:3.19\n%post\n    apt-get install curl\n';
    expect(api.parse(text).apptainer.ok).toBe(true);
    const findings = await api.lint(text, { shellcheck: false });
    expect(findings.map((f) => f.ruleId)).toContain('DEF305');
    const generated = api.generate('apiVersion: apptainer-gen/v1\nname: hello\nbase:\n  image: ubuntu:22.04\n');
    expect(generated.ok).toBe(true);
  });
});
