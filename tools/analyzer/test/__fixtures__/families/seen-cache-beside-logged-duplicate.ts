// A set that only reports a double finish: on a miss it records the span, on a hit it logs and
// goes on — no work is skipped, so it is a debugging check, not a seen-cache. The two sets below
// are: a hit returns early, or the kept answer skips the work further down.
// expect: caching/seen-cache 22-26 elim 3 "skips them"
// expect: caching/seen-cache 32-38 elim 5 "skips them"
declare const log: { error(message: string, detail: unknown): void };
declare function flush(batch: readonly object[]): void;

const finished = new WeakSet<object>();

export function finish(spans: readonly object[]): void {
  for (const span of spans) {
    if (finished.has(span)) {
      log.error("span finished twice", span);
    } else {
      finished.add(span);
    }
  }
  flush(spans);
}

const warned = new Set<string>();

export function warnOnce(code: string, message: string): void {
  if (warned.has(code)) return;
  warned.add(code);
  log.error(message, { code });
}

// The near miss: the answer is kept and a hit skips the nested work further down.
declare function expand(node: object): readonly object[];
const expanded = new WeakSet<object>();

export function visit(node: object, out: object[]): void {
  const again = expanded.has(node);
  if (!again) {
    expanded.add(node);
  }
  out.push(node);
  if (again) return;
  for (const child of expand(node)) visit(child, out);
}
