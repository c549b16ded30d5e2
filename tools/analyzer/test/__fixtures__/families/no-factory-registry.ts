// A get-or-create helper filling a registry with empty containers, and a call with a callback that
// is not a factory for a keyed store: nothing is cached.
// expect: none
import { getOrCreate } from "./get-or-create.js";

type Listener = (payload: unknown) => void;

export class Emitter {
  private readonly listeners = new Map<string, Set<Listener>>();

  on(event: string, listener: Listener): void {
    const set = getOrCreate(this.listeners, event, () => new Set<Listener>());
    set.add(listener);
  }
}

export function later(queue: {
  defer(ms: number, tag: string, run: () => number): number;
}): number {
  return queue.defer(10, "tick", () => Date.now());
}
