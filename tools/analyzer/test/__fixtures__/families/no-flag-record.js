// Per member name, flags of which accessors were seen, created on first sight and handed out to be
// set: state kept per key, not a computed value.
// expect: none
export function memberChecker(report) {
  const scopes = [];
  function stateOf(name, isStatic) {
    const states = scopes.at(-1);
    const key = `$${name}`;
    if (!states[key]) {
      states[key] = {
        instance: { init: false, get: false, set: false },
        static: { init: false, get: false, set: false },
      };
    }
    return states[key][isStatic ? "static" : "instance"];
  }
  return {
    enter: () => scopes.push(Object.create(null)),
    exit: () => scopes.pop(),
    member(node) {
      const state = stateOf(node.name, node.static);
      if (state[node.kind]) report(node);
      state[node.kind] = true;
    },
  };
}
