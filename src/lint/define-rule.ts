// defineRule(): the one way to write a rule. A rule is its metadata (messages by id included)
// plus `create(ctx)`, which returns the listeners the engine calls while it walks the file (see
// RuleListeners). A rule that looks at the whole file at once may give `check(ctx)` instead: it
// runs as the `file` listener. `ctx.report({ messageId })` only accepts the ids of `meta.messages`.
import type { Rule, RuleContext, RuleListeners, RuleMeta } from './types.js';

type MetaWith<MessageId extends string> = RuleMeta & { messages: Record<MessageId, string> };

export type RuleDefinition<MessageId extends string> =
  { meta: MetaWith<MessageId>; create(ctx: RuleContext<MessageId>): RuleListeners } | { meta: MetaWith<MessageId>; check(ctx: RuleContext<MessageId>): void };

export function defineRule<MessageId extends string>(definition: RuleDefinition<MessageId>): Rule {
  if ('create' in definition) return { meta: definition.meta, create: definition.create as Rule['create'] };
  const { check } = definition;
  return { meta: definition.meta, create: (ctx) => ({ file: () => check(ctx as RuleContext<MessageId>) }) };
}
