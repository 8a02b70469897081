// Small rules registered only in tests, so engine behaviour is tested independently of the
// real rule set that other people are still writing.
import type { Rule } from '../../../src/lint/types.js';
import { defineRule } from '../../../src/lint/define-rule.js';
import { registerRule, unregisterRule } from '../../../src/lint/registry.js';

/** The metadata every test rule shares (spread it, then give id, slug, severity and messages). */
export const TEST_RULE_META = { group: 'shell' as const, presets: [], summary: 'test', description: 'test', bad: 'x', good: 'y', source: 'test' };
const base = TEST_RULE_META;

/** DEF997 test-echo: flags every `echo` word in section bodies, with a safe fix to `printf`. */
export const echoRule: Rule = defineRule({
  meta: { ...base, id: 'DEF997', slug: 'test-echo', defaultSeverity: 'warning', fixKind: 'safe', messages: { echo: 'echo used' } },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      for (const section of stage.sections) {
        for (const line of section.bodyLines) {
          for (const match of line.text.matchAll(/(?<![\w-])echo\b/g)) {
            const start = line.offset + match.index;
            ctx.report({
              messageId: 'echo',
              range: { start: ctx.file.positionAt(start), end: ctx.file.positionAt(start + 4) },
              fix: { description: 'use printf', edits: [{ start, end: start + 4, text: 'printf' }] },
            });
          }
        }
      }
    }
  },
});

/** DEF996 test-context: reports resolved header values and template values, with a severity override. */
export const contextRule: Rule = defineRule({
  meta: {
    ...base,
    id: 'DEF996',
    slug: 'test-context',
    defaultSeverity: 'info',
    group: 'templating',
    messages: { values: 'from={{ from }} version={{ version }}' },
  },
  check(ctx) {
    for (const stage of ctx.file.stages) {
      const from = ctx.resolvedHeader(stage, 'From');
      const range = stage.headerRange;
      ctx.report({ messageId: 'values', data: { from: String(from), version: String(ctx.templateValue(stage, 'VERSION')) }, range, severity: 'error' });
    }
  },
});

/** DEF995 test-crash: always throws. */
export const crashRule: Rule = defineRule({
  meta: { ...base, id: 'DEF995', slug: 'test-crash', defaultSeverity: 'off', messages: {} },
  check() {
    throw new Error('boom');
  },
});

export function registerTestRules(): () => void {
  for (const rule of [echoRule, contextRule, crashRule]) registerRule(rule);
  return () => {
    for (const rule of [echoRule, contextRule, crashRule]) unregisterRule(rule.meta.id);
  };
}
