// Shared by the reproducibility rules (DEF401, DEF402, DEF403, DEF408: how firmly `From:` pins the base image).
import type { HeaderEntry, Stage } from '../../parse/model.js';
import type { RuleContext } from '../types.js';
import { REGISTRY_AGENTS, agentOf, lastEntry } from './header.js';
import { parseImageRef, type ImageRef } from './shell-commands.js';

export interface BaseImage {
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
    const agent = agentOf(ctx, stage);
    const entry = lastEntry(stage, 'from');
    if (!entry || agent === undefined || !REGISTRY_AGENTS.has(agent)) continue;
    const templated = /\{\{\s*\w+\s*\}\}/.test(entry.value);
    const value = templated ? ctx.resolvedHeader(stage, 'from') : entry.value;
    if (!value || /\{\{/.test(value)) continue;
    const ref = parseImageRef(value);
    if (ref) result.push({ stage, entry, agent, value, ref, templated });
  }
  return result;
}

/** How a templated value was resolved, for messages. */
export function valueNote(image: BaseImage): string {
  return image.templated ? ` (\`${image.entry.value}\` resolves to \`${image.value}\`)` : '';
}
