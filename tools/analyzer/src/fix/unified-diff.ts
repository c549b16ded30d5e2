/** Lines of context around each change, as `diff -u`. */
const CONTEXT = 3;
/** Above this many differing lines the middle of a diff is shown as one replaced block. */
const MAX_EDITS = 2_000;

type Op = { readonly kind: " " | "-" | "+"; readonly line: string };

/**
 * The shortest edit script from `x` to `y` (Myers' O((N+M)·D) algorithm: fast for large files with
 * few changes), or undefined past `MAX_EDITS` differing lines.
 */
function shortestEdit(x: readonly string[], y: readonly string[]): Op[] | undefined {
  const n = x.length;
  const m = y.length;
  const max = Math.min(n + m, MAX_EDITS);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  const at = (array: Int32Array, k: number): number => array[k + offset] ?? 0;
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let xi =
        k === -d || (k !== d && at(v, k - 1) < at(v, k + 1)) ? at(v, k + 1) : at(v, k - 1) + 1;
      let yi = xi - k;
      while (xi < n && yi < m && x[xi] === y[yi]) {
        xi++;
        yi++;
      }
      v[k + offset] = xi;
      if (xi >= n && yi >= m) return backtrack(x, y, trace, offset);
    }
  }
  return undefined;
}

/** The operations of the path Myers' search found, from its trace of furthest reaches. */
function backtrack(
  x: readonly string[],
  y: readonly string[],
  trace: readonly Int32Array[],
  offset: number,
): Op[] {
  const ops: Op[] = [];
  let xi = x.length;
  let yi = y.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const v = trace[d] as Int32Array;
    const k = xi - yi;
    const prevK =
      k === -d || (k !== d && (v[k - 1 + offset] ?? 0) < (v[k + 1 + offset] ?? 0)) ? k + 1 : k - 1;
    const prevX = v[prevK + offset] ?? 0;
    const prevY = prevX - prevK;
    while (xi > prevX && yi > prevY) {
      ops.push({ kind: " ", line: x[--xi] ?? "" });
      yi--;
    }
    if (d > 0) {
      if (xi === prevX) ops.push({ kind: "+", line: y[--yi] ?? "" });
      else ops.push({ kind: "-", line: x[--xi] ?? "" });
    }
  }
  return ops.reverse();
}

/** The line operations that turn `a` into `b`. */
function operations(a: readonly string[], b: readonly string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const ops: Op[] = a.slice(0, head).map((line) => ({ kind: " ", line }));
  ops.push(
    ...(shortestEdit(x, y) ?? [
      ...x.map((line) => ({ kind: "-" as const, line })),
      ...y.map((line) => ({ kind: "+" as const, line })),
    ]),
  );
  ops.push(...a.slice(a.length - tail).map((line) => ({ kind: " " as const, line })));
  return ops;
}

/**
 * A unified diff (`diff -u` format, 3 lines of context) between two versions of one file.
 * @param path - the file's path, shown in the `---`/`+++` header
 * @param before - the original text
 * @param after - the new text
 * @returns the diff, or "" when the texts are equal
 */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return "";
  const ops = operations(before.split("\n"), after.split("\n"));
  const out = [`--- a/${path}`, `+++ b/${path}`];
  let index = 0;
  while (index < ops.length) {
    while (index < ops.length && ops[index]?.kind === " ") index++;
    if (index >= ops.length) break;
    // A hunk: from CONTEXT lines before this change to CONTEXT lines after the last change that
    // is closer than 2 × CONTEXT unchanged lines to the one before it.
    const start = Math.max(0, index - CONTEXT);
    let end = index;
    let quiet = 0;
    for (let k = index; k < ops.length; k++) {
      if (ops[k]?.kind === " ") {
        quiet++;
        if (quiet > 2 * CONTEXT) break;
      } else {
        quiet = 0;
        end = k;
      }
    }
    const stop = Math.min(ops.length, end + 1 + CONTEXT);
    let oldLine = 1;
    let newLine = 1;
    for (const op of ops.slice(0, start)) {
      if (op.kind !== "+") oldLine++;
      if (op.kind !== "-") newLine++;
    }
    const hunk = ops.slice(start, stop);
    const oldCount = hunk.filter((op) => op.kind !== "+").length;
    const newCount = hunk.filter((op) => op.kind !== "-").length;
    out.push(
      `@@ -${oldCount === 0 ? oldLine - 1 : oldLine},${oldCount} +${newCount === 0 ? newLine - 1 : newLine},${newCount} @@`,
      ...hunk.map((op) => `${op.kind}${op.line}`),
    );
    index = stop;
  }
  return `${out.join("\n")}\n`;
}
