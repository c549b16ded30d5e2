// Sequence numbers and a wrapping cursor: incremented, but not metrics.
// expect: none
let nextId = 0;
export function newRequestId(): number {
  return nextId++;
}

export class RoundRobin<T> {
  #index = 0;

  constructor(private readonly items: readonly T[]) {}

  next(): T | undefined {
    const item = this.items[this.#index % this.items.length];
    this.#index++;
    return item;
  }
}
