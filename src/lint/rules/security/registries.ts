// DEF509, DEF510: where the base image comes from and whether it is verified.
import type { Rule } from '../../types.js';
import { agentOf, headerEntry } from '../shell/helpers.js';
import { baseImages } from '../reproducibility/from-pinning.js';

/** The registry host an image is pulled from, as a person would write it in a trust list. */
function registryOf(agent: string, registry: string | undefined, libraryUrl: string | undefined): string {
  if (registry) return registry.toLowerCase();
  if (agent === 'library') return (libraryUrl ? libraryUrl.replace(/^\w+:\/\//, '').replace(/\/.*$/, '') : 'cloud.sylabs.io').toLowerCase();
  if (agent === 'shub') return 'singularity-hub.org';
  return 'docker.io';
}

export const untrustedRegistry: Rule = {
  meta: {
    id: 'DEF509',
    slug: 'untrusted-registry',
    group: 'security',
    defaultSeverity: 'error',
    presets: ['recommended', 'security'],
    summary: 'Base image from a registry that is not in `trustedRegistries`.',
    description: [
      'When the configuration lists `trustedRegistries` (host names, `*` wildcards allowed, e.g.',
      '`docker.io`, `*.example.org`), every registry `From:` must come from one of them. Images without',
      'a registry host come from `docker.io`. Silent when no list is configured.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: quay.io/unknown/tool:1.0\n\n%post\n    echo hello\n',
    good: 'Bootstrap: docker\nFrom: ghcr.io/example/tool:1.0\n\n%post\n    echo hello\n',
    source: 'HL DL3026',
  },
  check(ctx) {
    const trusted = ctx.settings.trustedRegistries;
    if (trusted.length === 0) return;
    const matchers = trusted.map((t) => hostPattern(t.toLowerCase()));
    for (const image of baseImages(ctx)) {
      if (image.agent === 'shub') continue;
      const registry = registryOf(image.agent, image.ref.registry, image.stage.headerValues['library']);
      const allowed = matchers.some((m) => m(registry)) || (registry === 'docker.io' && matchers.some((m) => m('index.docker.io') || m('registry-1.docker.io')));
      if (allowed) continue;
      ctx.report({ message: `${registry} is not a trusted registry (trusted: ${trusted.join(', ')}).`, range: image.entry.valueRange });
    }
  },
};

/**
 * A registry pattern (`docker.io`, `*.example.org`, `ghcr.io/org/*`) as a matcher: `*` stays within
 * one path segment, `**` crosses them, `?` is one character. Matched by stepping a set of pattern
 * positions through the text (work <= pattern length x text length), never by a backtracking
 * regular expression: a pattern from a repository config like `**a**a**a**...b` must not take
 * minutes. Registry hosts need no more, and this keeps the rule from loading a glob library.
 */
export function hostPattern(pattern: string): (registry: string) => boolean {
  type Token = 'star' | 'globstar' | 'one' | { literal: string };
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '*' && pattern[i + 1] === '*') {
      while (pattern[i + 1] === '*') i++;
      if (tokens[tokens.length - 1] !== 'globstar') tokens.push('globstar');
    } else if (pattern[i] === '*') tokens.push('star');
    else if (pattern[i] === '?') tokens.push('one');
    else tokens.push({ literal: pattern[i] });
  }
  /** Adds `at` and every position reachable by letting stars match nothing. */
  const close = (states: Uint8Array, at: number) => {
    for (let k = at; k <= tokens.length && !states[k]; k++) {
      states[k] = 1;
      if (k === tokens.length || (tokens[k] !== 'star' && tokens[k] !== 'globstar')) break;
    }
  };
  return (registry) => {
    let current = new Uint8Array(tokens.length + 1);
    close(current, 0);
    for (const ch of registry) {
      const next = new Uint8Array(tokens.length + 1);
      for (let k = 0; k < tokens.length; k++) {
        if (!current[k]) continue;
        const token = tokens[k];
        if (token === 'globstar' || (token === 'star' && ch !== '/')) close(next, k);
        else if (token === 'one' ? ch !== '/' : token !== 'star' && token.literal === ch) close(next, k + 1);
      }
      current = next;
    }
    return current[tokens.length] === 1;
  };
}

export const sifBaseUnverified: Rule = {
  meta: {
    id: 'DEF510',
    slug: 'sif-base-unverified',
    group: 'security',
    defaultSeverity: 'info',
    presets: ['recommended', 'security'],
    summary: 'A SIF base image (`library`, `oras`, local `.sif`) without `Fingerprints:`.',
    description: [
      'SIF images can be signed. With a `Fingerprints:` header the build checks that the base image',
      'is signed by one of the listed keys and fails otherwise; without it a bad or missing signature',
      'only produces a warning.',
    ].join('\n'),
    bad: 'Bootstrap: library\nFrom: library/default/alpine:3.20\n\n%post\n    echo hello\n',
    good: 'Bootstrap: library\nFrom: library/default/alpine:3.20\nFingerprints: 8883491F4268F173C6E5DC49EDECE4F3F38D871E\n\n%post\n    echo hello\n',
    source: 'AP-DEF (Fingerprints header)',
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      if (stage.empty) continue;
      const agent = agentOf(stage);
      const from = headerEntry(stage, 'from');
      const sif = agent === 'library' || agent === 'oras' || (agent === 'localimage' && /\.sif$/i.test(from?.value ?? ''));
      if (!sif || headerEntry(stage, 'fingerprints')) continue;
      const entry = headerEntry(stage, 'bootstrap');
      if (!entry) continue;
      ctx.report({ message: `The ${agent} base image is not checked against signing keys: add \`Fingerprints:\` to make a bad signature fail the build.`, range: entry.range });
    }
  },
};
