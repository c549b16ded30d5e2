// Running sets and counts that are not a plain counter beside its bound: a buffer of promises
// whose entries leave through a local helper called only when each settles, a set of markers
// deleted after the awaited work, and a count taken as it is tested (`active++ < limit`).
// expect: response/concurrency-limit 7-24 elim 18 "counts running tasks"
// expect: response/concurrency-limit 26-40 elim 15 "counts running tasks"
// expect: response/concurrency-limit 42-62 elim 21 "counts running tasks"
export function makeBuffer<T>(limit: number) {
  const inFlight = new Set<Promise<T>>();
  function drop(task: Promise<T>): void {
    inFlight.delete(task);
  }
  function add(produce: () => Promise<T>): Promise<T> {
    if (inFlight.size >= limit) return Promise.reject(new Error("buffer full"));
    const task = produce();
    inFlight.add(task);
    void task.then(
      () => drop(task),
      () => drop(task),
    );
    return task;
  }
  const size = (): number => inFlight.size;
  return { add, size };
}

export function makePool(width: number) {
  const busy = new Set<object>();
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    if (busy.size >= width) {
      await new Promise((wake) => setTimeout(wake, 10));
      return run(work);
    }
    const marker = {};
    busy.add(marker);
    const result = await work();
    busy.delete(marker);
    return result;
  };
  return { run };
}

export function makeGate(limit: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  const done = (): void => {
    active--;
    const next = waiting.shift();
    if (next !== undefined) next();
  };
  const enter = (): Promise<void> | undefined => {
    if (active++ < limit) return undefined;
    return new Promise<void>((go) => waiting.push(go));
  };
  return async <T>(work: () => Promise<T>): Promise<T> => {
    await enter();
    try {
      return await work();
    } finally {
      done();
    }
  };
}
