// Start marks kept per request in a map and looked up when the response ends: the range runs
// from the map kept only for the marks to the elapsed time, not from the lookup alone.
// expect: monitoring/timer-delta 4-13 elim 4 "start mark `starts.set(request, performance.now());`"
const starts = new WeakMap<object, number>();

export function onRequest(request: object): void {
  starts.set(request, performance.now());
}

export function onResponse(request: object, observe: (ms: number) => void): void {
  const start = starts.get(request);
  if (start === undefined) return;
  observe(performance.now() - start);
  starts.delete(request);
}
