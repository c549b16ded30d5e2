// A start time kept on a shared context under a symbol key by one hook and read by another
// (a plugin's enveloped / execute-done hooks), and a map declared only to carry start marks.
// expect: monitoring/timer-delta 11-11 elim 1 "start mark `[kStart]: Date.now()`"
// expect: monitoring/timer-delta 42-42 elim 1 "elapsed time `Date.now() - context[kStart]`"
const kStart = Symbol("start");

export function plugin(send: (name: string, ms: number) => void) {
  return {
    onEnveloped(extend: (values: Record<symbol, number>) => void): void {
      extend({
        [kStart]: Date.now(),
      });
    },
    onParse(): void {
      // nothing timed here
    },
    onValidate(valid: boolean): void {
      if (!valid) send("invalid", 1);
    },
    onContext(context: Record<symbol, unknown>): void {
      if (context[kStart] === undefined) send("missing", 1);
    },
    onResolve(): void {
      // nothing timed here
    },
    onSubscribe(): void {
      // nothing timed here
    },
    onSchema(): void {
      // nothing timed here
    },
    onError(error: Error): void {
      send(error.name, 1);
    },
    onRequest(): void {
      // nothing timed here
    },
    onResponse(): void {
      // nothing timed here
    },
    onExecuteDone(context: Record<symbol, number>): void {
      send("latency", Date.now() - context[kStart]);
    },
  };
}
