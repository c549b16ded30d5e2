// Calls that take turns through a stored promise: each waits for the run the slot holds, then
// stores its own for the next caller — a loop on a lock promise, a module-level last run, and a
// closure's current run saved before it is replaced.
// expect: response/concurrency-limit 11-14 elim 4 "holds the run in progress"
// expect: response/concurrency-limit 26-35 elim 9 "holds the run in progress"
// expect: response/concurrency-limit 39-45 elim 7 "holds the run in progress"
export class Lock {
  #held?: Promise<void>;
  #release?: () => void;

  async acquire(): Promise<void> {
    while (this.#held) await this.#held;
    this.#held = new Promise((resolve) => (this.#release = resolve));
  }

  release(): void {
    const release = this.#release;
    this.#held = undefined;
    this.#release = undefined;
    release?.();
  }
}

let lastWrite: Promise<void> = Promise.resolve();

export async function write(line: string, sink: (line: string) => Promise<void>): Promise<void> {
  try {
    await lastWrite;
  } catch {
    // The previous write's failure is its caller's.
  }
  const run = sink(line);
  lastWrite = run;
  return run;
}

export function oneAtATime<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  let current: Promise<void> = Promise.resolve();
  return async (...args: A) => {
    const { promise, resolve } = Promise.withResolvers<void>();
    const previous = current;
    current = promise;
    await previous;
    return fn(...args).finally(resolve);
  };
}
