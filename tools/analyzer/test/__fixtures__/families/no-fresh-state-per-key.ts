// Fresh state made per key by a factory that is not given the key: a parse state or a producer
// registered under a name, then worked on. Nothing is derived from the key, so nothing is cached.
// expect: none
interface ParseState {
  text: string;
}

function createParseState(): ParseState {
  return { text: "" };
}

export class Fragments {
  readonly #states = new Map<number, ParseState>();

  add(index: number, fragment: string): ParseState {
    const existing = this.#states.get(index);
    if (existing) {
      return existing;
    }
    const state = createParseState();
    this.#states.set(index, state);
    state.text += fragment;
    return state;
  }
}
