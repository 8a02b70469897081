// The walk's dispatch: each listener is called from the loop over its key's listeners (no call
// level per listener in between), and a rule's listener object is asked only for the keys it has
// (`suppressions` included), never for the ones it lacks.
import { afterEach, describe, expect, it } from 'vitest';
import { lint } from '../../../src/lint/index.js';
import { defineRule } from '../../../src/lint/define-rule.js';
import { registerRule, unregisterRule } from '../../../src/lint/registry.js';
import type { RuleListeners } from '../../../src/lint/types.js';
import { TEST_RULE_META } from '../core/test-rules.js';

const meta = { ...TEST_RULE_META, id: 'DEF993', slug: 'test-dispatch', defaultSeverity: 'warning' as const, messages: {} };

afterEach(() => unregisterRule('DEF993'));

const TEXT = 'Bootstrap: docker\nFrom: alpine\n\n%post\n    echo a\n    echo b\n';

describe('engine dispatch', () => {
  it('reads only the keys a listener object has', async () => {
    const read: string[] = [];
    registerRule(
      defineRule({
        meta,
        create: () =>
          new Proxy({ command() {}, section() {} } as RuleListeners, {
            get(target, key, receiver) {
              read.push(String(key));
              return Reflect.get(target, key, receiver);
            },
          }),
      }),
    );
    await lint(TEXT, { shellcheck: false, config: { rules: { DEF993: 'warning' } } });
    expect(read.sort()).toEqual(['command', 'section']);
  });

  it('calls a listener straight from the loop over its key', async () => {
    const stacks: string[] = [];
    registerRule(
      defineRule({
        meta,
        create: () => ({
          command() {
            stacks.push(new Error().stack ?? '');
          },
        }),
      }),
    );
    await lint(TEXT, { shellcheck: false, config: { rules: { DEF993: 'warning' } } });
    expect(stacks).toHaveLength(2);
    // The frame under the listener is the loop (call2), not a per-listener helper.
    const caller = stacks[0].split('\n')[2];
    expect(caller).toMatch(/\bat call2 \(/);
  });
});
