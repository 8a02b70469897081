// Counting property reads: tests that hold a rule to "little work per command" wrap the objects
// it looks at in views that count every property read.

export interface ReadCounter {
  /** A view of `target` whose every property read is counted. */
  count<T extends object>(target: T): T;
  /** Reads counted so far, over every view this counter made. */
  reads(): number;
}

export function readCounter(): ReadCounter {
  let reads = 0;
  return {
    count: (target) =>
      new Proxy(target, {
        get(object, key, receiver) {
          reads++;
          return Reflect.get(object, key, receiver);
        },
      }),
    reads: () => reads,
  };
}
