// A state record made per function on first use and changed in place afterwards, reset by a fresh
// store: state kept per key (a registry), not a value computed once, and its reset is no invalidation.
// expect: none
interface CallState {
  calls: unknown[][];
  lastCall?: unknown[];
}

function defaultState(): CallState {
  return { calls: [] };
}

export class Mocks {
  #states = new WeakMap<object, CallState>();

  stateOf(f: object): CallState {
    let state = this.#states.get(f);
    if (!state) {
      state = defaultState();
      this.#states.set(f, state);
    }
    if (state.calls.length > 0) state.lastCall = state.calls.at(-1);
    return state;
  }

  clearAll(): void {
    this.#states = new WeakMap();
  }
}
