// Per-rule timing, like ESLint's TIMING=1: `APPTAINER_LINT_TIMING` makes `apptainer-lint` print,
// after its report, the rules that took the most time over all the files it linted.
// Nothing here runs when timing is off: the engine asks `activeRuleTiming()` once per file, and
// only when it is on does it time each rule's `create` and wrap its listeners in timed closures
// (see runRules). A lazily computed vocabulary fact (src/lint/vocab/lint-memo.ts) is charged to
// the first rule that asks for it; the shell parse, done before any rule, to none.
import type { Rule, RuleContext, RuleListeners } from './types.js';

/** Milliseconds per rule, summed over every file linted while timing was on. */
export class RuleTiming {
  readonly totals = new Map<Rule, number>();

  private add(rule: Rule, ms: number): void {
    this.totals.set(rule, (this.totals.get(rule) ?? 0) + ms);
  }

  /** `rule.create(ctx)`, timed, with listeners that time themselves. */
  create(rule: Rule, ctx: RuleContext): RuleListeners {
    const start = performance.now();
    let listeners: RuleListeners;
    try {
      listeners = rule.create(ctx);
    } finally {
      this.add(rule, performance.now() - start);
    }
    return this.timed(rule, listeners);
  }

  /**
   * A plain object with a timed closure for each listener (the engine enumerates a plain object's
   * keys); each calls the rule's own listener as the engine does, as a plain function.
   */
  private timed(rule: Rule, listeners: RuleListeners): RuleListeners {
    const wrapped: Record<string, unknown> = {};
    for (const key of LISTENER_KEYS) {
      const listener = listeners[key] as ((this: void, ...args: unknown[]) => void) | undefined;
      if (typeof listener !== 'function') continue;
      wrapped[key] = (...args: unknown[]) => {
        const start = performance.now();
        try {
          listener(...args);
        } finally {
          this.add(rule, performance.now() - start);
        }
      };
    }
    return wrapped as RuleListeners;
  }

  /** The `limit` slowest rules, slowest first (ties by rule id), with their share of all rule time. */
  rows(limit: number): TimingRow[] {
    let total = 0;
    for (const ms of this.totals.values()) total += ms;
    return [...this.totals]
      .map(([rule, ms]) => ({ id: rule.meta.id, slug: rule.meta.slug, ms, share: total > 0 ? (100 * ms) / total : 0 }))
      .sort((a, b) => b.ms - a.ms || a.id.localeCompare(b.id))
      .slice(0, limit);
  }
}

const LISTENER_KEYS: readonly (keyof RuleListeners)[] = ['file', 'chunk', 'stage', 'headerEntry', 'section', 'script', 'command', 'suppressions'];

export interface TimingRow {
  id: string;
  slug: string;
  ms: number;
  /** Per cent of the time of all rules. */
  share: number;
}

let active: RuleTiming | undefined;

/** The timing every later lint in this process adds to, until stopRuleTiming(). */
export function startRuleTiming(): RuleTiming {
  active = new RuleTiming();
  return active;
}

export function stopRuleTiming(): void {
  active = undefined;
}

/** The timing in force, if any (asked once per linted file). */
export function activeRuleTiming(): RuleTiming | undefined {
  return active;
}

/** Rows listed when the variable holds no number, and at least that many (as ESLint's TIMING). */
export const DEFAULT_TIMING_ROWS = 10;

/**
 * How many rows `APPTAINER_LINT_TIMING` asks for: undefined when unset, empty or `0` (timing off);
 * `all` lists every rule that ran; a number above 10 lists that many; anything else 10.
 */
export function timingRowsFrom(value: string | undefined): number | undefined {
  if (value === undefined || value === '' || value === '0') return undefined;
  if (value.toLowerCase() === 'all') return Number.POSITIVE_INFINITY;
  const n = Number.parseInt(value, 10);
  return n > DEFAULT_TIMING_ROWS ? n : DEFAULT_TIMING_ROWS;
}

/** The table printed to stderr: rule id, slug, total milliseconds and share of all rule time. */
export function formatTimingTable(rows: readonly TimingRow[]): string {
  const header = ['Rule', 'Slug', 'Time (ms)', 'Relative'];
  const cells = rows.map((row) => [row.id, row.slug, row.ms.toFixed(1), `${row.share.toFixed(1)}%`]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => cell[column].length)));
  // Text columns left-aligned, figures right-aligned.
  const line = (cell: string[]) =>
    cell
      .map((text, column) => (column < 2 ? text.padEnd(widths[column]) : text.padStart(widths[column])))
      .join(' | ')
      .trimEnd();
  // Markdown's alignment row: each cell as wide as the column and its spaces, `:` right-aligning.
  const last = widths.length - 1;
  const underline = widths
    .map((width, column) => {
      const dashes = '-'.repeat(width + (column > 0 ? 1 : 0) + (column < last ? 1 : 0));
      return column < 2 ? dashes : `${dashes.slice(1)}:`;
    })
    .join('|');
  return [line(header), underline, ...cells.map(line)].join('\n') + '\n';
}
