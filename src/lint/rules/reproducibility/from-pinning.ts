// DEF401, DEF402, DEF403, DEF408: how firmly `From:` pins the base image.
import type { HeaderEntry, Stage } from '../../../parse/model.js';
import type { RuleContext } from '../../types.js';
import { REGISTRY_AGENTS, agentOf, headerEntry, parseImageRef, type ImageRef } from '../shell/helpers.js';
import { defineRule } from '../../define-rule.js';

interface BaseImage {
  stage: Stage;
  entry: HeaderEntry;
  agent: string;
  /** The value with `{{ }}` resolved. */
  value: string;
  ref: ImageRef;
  templated: boolean;
}

/** Registry base images of every stage whose `From:` can be resolved. */
export function baseImages(ctx: RuleContext): BaseImage[] {
  const result: BaseImage[] = [];
  for (const stage of ctx.file.stages) {
    if (stage.empty) continue;
    const agent = agentOf(stage);
    const entry = headerEntry(stage, 'from');
    if (!entry || !REGISTRY_AGENTS.has(agent)) continue;
    const templated = /\{\{\s*\w+\s*\}\}/.test(entry.value);
    const value = templated ? ctx.resolvedHeader(stage, 'from') : entry.value;
    if (!value || /\{\{/.test(value)) continue;
    const ref = parseImageRef(value);
    if (ref) result.push({ stage, entry, agent, value, ref, templated });
  }
  return result;
}

/** How a templated value was resolved, for messages. */
function valueNote(image: BaseImage): string {
  return image.templated ? ` (\`${image.entry.value}\` resolves to \`${image.value}\`)` : '';
}

export const fromUntagged = defineRule({
  meta: {
    id: 'DEF401',
    slug: 'from-untagged',
    group: 'reproducibility',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`From:` without a tag or digest resolves to `latest`.',
    description: [
      'A registry image without `:tag` or `@sha256:` means `:latest`, whatever that is on the day of',
      'the build: two builds of the same file can get different operating systems. Name the tag',
      '(`ubuntu:22.04`), ideally with a digest.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu\n\n%post\n    echo hello\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    echo hello\n',
    source: 'AP-APPX (tag defaults to latest); HL DL3006; DFL missing_tag',
    fixKind: 'suggestion',
  },
  check(ctx) {
    for (const image of baseImages(ctx)) {
      if (image.ref.tag || image.ref.digest) continue;
      ctx.report({
        message: `\`From: ${image.value}\` has no tag, so it means \`${image.value}:latest\`${valueNote(image)}. Pin a version tag.`,
        range: image.entry.valueRange,
      });
    }
  },
});

export const fromLatest = defineRule({
  meta: {
    id: 'DEF402',
    slug: 'from-latest',
    group: 'reproducibility',
    defaultSeverity: 'warning',
    presets: ['recommended'],
    summary: '`From:` uses the `latest` tag.',
    description: '`:latest` moves whenever a new release is pushed, so rebuilding the file later gives a different image. Pin a version tag (and a digest for full reproducibility).',
    bad: 'Bootstrap: docker\nFrom: python:latest\n\n%post\n    echo hello\n',
    good: 'Bootstrap: docker\nFrom: python:3.12-slim\n\n%post\n    echo hello\n',
    source: 'HL DL3007; DFL latest_tag',
  },
  check(ctx) {
    for (const image of baseImages(ctx)) {
      if (image.ref.tag !== 'latest' || image.ref.digest) continue;
      ctx.report({ message: `\`From: ${image.value}\` uses the moving \`latest\` tag${valueNote(image)}. Pin a version.`, range: image.entry.valueRange });
    }
  },
});

export const fromNoDigest = defineRule({
  meta: {
    id: 'DEF403',
    slug: 'from-no-digest',
    group: 'reproducibility',
    defaultSeverity: 'off',
    presets: [],
    summary: '`From:` with a tag but no `@sha256:` digest (opt-in).',
    description: [
      'Tags can be re-pushed: `ubuntu:22.04` gets security updates, so the same tag is a different',
      'image next month. Only a digest (`ubuntu:22.04@sha256:...`) names exact bytes. Off by default:',
      'digests must be looked up in the registry and updated by hand or by a bot.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: ubuntu:22.04\n\n%post\n    echo hello\n',
    good: 'Bootstrap: docker\nFrom: ubuntu:22.04@sha256:0e5e4a57c2499249aafc3b40fcd541e9a456aab7296681a3994d631587203f97\n\n%post\n    echo hello\n',
    source: 'AP-APPX (digest syntax); supply-chain practice',
  },
  check(ctx) {
    for (const image of baseImages(ctx)) {
      if (image.ref.digest || !image.ref.tag || image.ref.tag === 'latest') continue;
      ctx.report({ message: `\`From: ${image.value}\` is pinned by tag only; tags can be re-pushed. Add \`@sha256:...\`.`, range: image.entry.valueRange });
    }
  },
});

export const templatedBaseUnverifiable = defineRule({
  meta: {
    id: 'DEF408',
    slug: 'templated-base-unverifiable',
    group: 'reproducibility',
    defaultSeverity: 'info',
    presets: ['recommended'],
    summary: '`From: {{ IMAGE }}` without a `%arguments` default: the base image cannot be checked.',
    description: [
      'When the base image comes from a build argument with no default, nothing in the file says which',
      'image it is, and the pinning rules (DEF401-DEF403) cannot check it. Give the argument a pinned',
      'default in `%arguments`; it can still be overridden with `--build-arg`.',
    ].join('\n'),
    bad: 'Bootstrap: docker\nFrom: {{ BASE }}\n\n%post\n    echo hello\n',
    good: 'Bootstrap: docker\nFrom: {{ BASE }}\n\n%arguments\n    BASE=ubuntu:22.04\n\n%post\n    echo hello\n',
    source: 'AP-ARGS',
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      const entry = headerEntry(stage, 'from');
      if (!entry || !/\{\{\s*\w+\s*\}\}/.test(entry.value)) continue;
      const agent = agentOf(stage);
      if (!REGISTRY_AGENTS.has(agent) && !/\{\{/.test(agent)) continue; // local paths are not pinned by tags
      const resolved = ctx.resolvedHeader(stage, 'from');
      if (resolved !== undefined && !/\{\{/.test(resolved)) continue;
      ctx.report({
        message: `\`From: ${entry.value}\` depends on a build argument with no default: the base image cannot be checked. Add a pinned default in %arguments.`,
        range: entry.valueRange,
      });
    }
  },
});
