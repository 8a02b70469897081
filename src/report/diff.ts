// Unified diff of two texts (for --fix-dry-run). Line-based Myers diff, 3 lines of context.

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Lines with their terminators, so a missing final newline is a difference too. */
function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function printLine(op: Op): string {
  return op.line.endsWith('\n') ? op.kind + op.line.slice(0, -1) : `${op.kind}${op.line}\n\\ No newline at end of file`;
}

/** Shortest edit script between two line arrays (Myers, O((N+M)·D)). */
function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace backwards to recover the operations.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const previous = trace[d];
    const k = x - y;
    const previousK = k === -d || (k !== d && previous[offset + k - 1] < previous[offset + k + 1]) ? k + 1 : k - 1;
    const previousX = previous[offset + previousK];
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      ops.push({ kind: ' ', line: a[--x] });
      y--;
    }
    if (x === previousX) ops.push({ kind: '+', line: b[--y] });
    else ops.push({ kind: '-', line: a[--x] });
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: ' ', line: a[--x] });
    y--;
  }
  return ops.reverse();
}

export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  if (oldText === newText) return '';
  const ops = diffLines(splitLines(oldText), splitLines(newText));
  const out = [`--- ${oldName}`, `+++ ${newName}`];
  // 1-based old/new line numbers at each op, for hunk headers.
  const oldLineAt = [1];
  const newLineAt = [1];
  for (const [i, op] of ops.entries()) {
    oldLineAt.push(oldLineAt[i] + (op.kind !== '+' ? 1 : 0));
    newLineAt.push(newLineAt[i] + (op.kind !== '-' ? 1 : 0));
  }
  let index = 0;
  while (index < ops.length) {
    // Find the next change, then grow a hunk around it while changes are close together.
    while (index < ops.length && ops[index].kind === ' ') index++;
    if (index >= ops.length) break;
    const start = Math.max(0, index - context);
    let end = index;
    for (;;) {
      while (end < ops.length && ops[end].kind !== ' ') end++;
      let next = end;
      while (next < ops.length && ops[next].kind === ' ') next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const oldLine = oldLineAt[start];
    const newLine = newLineAt[start];
    const hunk = ops.slice(start, stop);
    const oldCount = hunk.filter((op) => op.kind !== '+').length;
    const newCount = hunk.filter((op) => op.kind !== '-').length;
    out.push(`@@ -${oldCount === 0 ? oldLine - 1 : oldLine},${oldCount} +${newCount === 0 ? newLine - 1 : newLine},${newCount} @@`);
    for (const op of hunk) out.push(printLine(op));
    index = stop;
  }
  return out.join('\n') + '\n';
}
