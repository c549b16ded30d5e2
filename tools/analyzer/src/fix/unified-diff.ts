/** Lines of context around each change, as `diff -u`. */
const CONTEXT = 3;
/** Above this many cells the middle of a diff is shown as one replaced block (no LCS table). */
const MAX_CELLS = 4_000_000;

type Op = { readonly kind: " " | "-" | "+"; readonly line: string };

/** The line operations that turn `a` into `b` (longest common subsequence on the changed middle). */
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
  if ((x.length + 1) * (y.length + 1) > MAX_CELLS) {
    ops.push(...x.map((line) => ({ kind: "-" as const, line })));
    ops.push(...y.map((line) => ({ kind: "+" as const, line })));
  } else {
    const width = y.length + 1;
    const table = new Uint32Array((x.length + 1) * width);
    for (let i = x.length - 1; i >= 0; i--)
      for (let j = y.length - 1; j >= 0; j--)
        table[i * width + j] =
          x[i] === y[j]
            ? (table[(i + 1) * width + j + 1] ?? 0) + 1
            : Math.max(table[(i + 1) * width + j] ?? 0, table[i * width + j + 1] ?? 0);
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i] === y[j]) {
        ops.push({ kind: " ", line: x[i] ?? "" });
        i++;
        j++;
      } else if (
        i < x.length &&
        (j === y.length || (table[(i + 1) * width + j] ?? 0) >= (table[i * width + j + 1] ?? 0))
      ) {
        ops.push({ kind: "-", line: x[i] ?? "" });
        i++;
      } else {
        ops.push({ kind: "+", line: y[j] ?? "" });
        j++;
      }
    }
  }
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
