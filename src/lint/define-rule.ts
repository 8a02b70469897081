// defineRule(): the one way to write a rule. A rule is its metadata plus `create(ctx)`, which
// returns the listeners the engine calls while it walks the file (see RuleListeners). A rule that
// looks at the whole file at once may give `check(ctx)` instead: it runs as the `file` listener.
import type { Rule, RuleContext, RuleListeners, RuleMeta } from './types.js';

export type RuleDefinition = { meta: RuleMeta; create(ctx: RuleContext): RuleListeners } | { meta: RuleMeta; check(ctx: RuleContext): void };

export function defineRule(definition: RuleDefinition): Rule {
  if ('create' in definition) return { meta: definition.meta, create: definition.create };
  const { check } = definition;
  return { meta: definition.meta, create: (ctx) => ({ file: () => check(ctx) }) };
}
