// A timer armed in a small promise executor bounds that promise: the range is the statement that
// holds the promise, not the executor's one line, nor the whole method; only the timer and its clear
// go (the work in the promise stays). A timeout whose callback is kept in a local of the function
// takes that local (its failure path) with the arm; the delay named first is not the callback. A
// function whose every statement is the timer's (`watch`) exists for it: the function is the range.
// expect: response/timeout 22-29 elim 2 "rejects the pending operation"
// expect: response/timeout 33-45 elim 13 "`req.destroy`s the operation"

interface Pending {
  readonly resolve: (value: string) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class Rpc {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly publish: (id: string) => Promise<void>) {}

  async call(id: string, ms: number): Promise<string> {
    await this.publish(id);
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`rpc ${id} got no reply`)), ms);
      this.pending.set(id, { resolve, reject, timer });
    }).finally(() => {
      const entry = this.pending.get(id);
      if (entry) clearTimeout(entry.timer);
      this.pending.delete(id);
    });
  }
}

export function watch(
  req: { destroy(): void; setTimeout(ms: number, cb: () => void): void },
  fail: (error: Error) => void,
  ms: number | undefined,
): void {
  const onExpire = (): void => {
    req.destroy();
    fail(new Error(`no answer in ${String(ms)} ms`));
  };
  if (ms) {
    req.setTimeout(ms, onExpire);
  }
}
