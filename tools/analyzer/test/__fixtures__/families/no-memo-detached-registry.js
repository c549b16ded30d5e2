// A module-level map of handlers registered by name and looked up later: a registry, no value
// computed on a miss — its declaration is no memo's container.
// expect: none
const handlers = new Map();

function register(name, handler) {
  handlers.set(name, handler);
}

function noop() {}

function describe(name) {
  return `handler ${name}`;
}

function report(name) {
  console.log(describe(name));
}

function handlerFor(name) {
  const found = handlers.get(name);
  if (found === undefined) {
    report(name);
    return noop;
  }
  return found;
}

module.exports = { register, handlerFor };
