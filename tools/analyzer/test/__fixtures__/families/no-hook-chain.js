// Hooks of one call run one after another through a local chain built by a forEach: a pipeline
// within the call, not a queue shared by calls.
// expect: none
function wrapHandler(handler, beforeHooks, callHook) {
  return function hooked(ctx) {
    let p = Promise.resolve();
    beforeHooks.forEach((hook) => {
      p = p.then(() => callHook(hook, ctx));
    });
    p = p.then(() => handler(ctx));
    return p;
  };
}

module.exports = { wrapHandler };
