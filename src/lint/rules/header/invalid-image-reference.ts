// DEF114 invalid-image-reference: a registry `From:` that is not a valid image reference.
import { knownAgent, lastEntry } from '../../vocab/header.js';
import { q } from '../../vocab/text.js';
import { defineRule } from '../../define-rule.js';

export const invalidImageReference = defineRule({
  create: (ctx) => ({
    stage(stage) {
      const agent = knownAgent(ctx, stage);
      const from = lastEntry(stage, 'from');
      if (!agent || !DOCKER_REFERENCE_AGENTS.has(agent) || !from) return;
      const value = ctx.resolvedHeader(stage, 'from') ?? from.value;
      if (value === '' || value.includes('{{')) return;
      const problem = referenceProblem(value);
      if (problem)
        ctx.report({
          messageId: 'invalid',
          data: { reference: q(value), problem },
          range: from.valueRange,
        });
    },
  }),
  meta: {
    id: 'DEF114',
    slug: 'invalid-image-reference',
    group: 'header',
    defaultSeverity: 'error',
    presets: ['recommended'],
    summary: 'A registry `From:` that is not a valid image reference (a space, capitals, an empty tag).',
    description: [
      'For `docker`, `oras` and `docker-daemon` the `From:` value is an image reference,',
      '`[registry/]name[:tag][@digest]`: lower-case path, a tag of letters, digits, `_`, `.` and `-`, a digest',
      '`sha256:<hex>`. Anything else fails the build with "invalid reference format" before a byte is',
      'pulled. A common slip is a space after the tag colon (`From: ubuntu: 22.04`).',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu: 22.04\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n',
    source: 'distribution/reference grammar (https://github.com/distribution/reference/blob/main/reference.go); AP-BUILD `conveyorPacker_oci.go`',
    messages: {
      invalid: '{{ reference }} is not a valid image reference: {{ problem }}. The build fails ("invalid reference format").',
    },
  },
});

/** Agents whose `From:` is a Docker-style reference (`[registry/]name[:tag][@digest]`). */
const DOCKER_REFERENCE_AGENTS = new Set(['docker', 'oras', 'docker-daemon']);

/** Why a `[registry/]name[:tag][@digest]` reference is invalid, or undefined when it is fine. */
export function referenceProblem(value: string): string | undefined {
  const ref = value.replace(/^(docker|oras|docker-daemon):\/\//, '');
  if (/\s/.test(ref)) return 'it contains a space (a space after a colon is part of the value)';
  const at = ref.indexOf('@');
  const name = at === -1 ? ref : ref.slice(0, at);
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const repository = colon > lastSlash ? name.slice(0, colon) : name;
  const tag = colon > lastSlash ? name.slice(colon + 1) : undefined;
  if (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag))
    return tag === '' ? 'the tag after `:` is empty' : `the tag ${q(tag)} has characters a tag cannot have`;
  // The registry host (first part with a dot, a colon or `localhost`) may have capitals; the path may not.
  const parts = repository.split('/');
  const path = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]) ? parts.slice(1) : parts;
  if (path.some((p) => /[A-Z]/.test(p))) return 'repository names must be lower case';
  if (path.some((p) => p === '' || !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/.test(p)))
    return 'a repository name part is empty or has characters it cannot have';
  if (at !== -1 && !/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/.test(ref.slice(at + 1))) return 'the digest after `@` is not `algorithm:hex`';
  return undefined;
}
