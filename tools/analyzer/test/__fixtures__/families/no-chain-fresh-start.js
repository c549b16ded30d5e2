// Each idle run builds its own chain: it starts from the stores of this run and adds a progress
// step. A pipeline within one run, not a queue that orders calls.
// expect: none
function onIdle(hooks, strategy, reportProgress) {
  let currentIdlePromise = Promise.resolve();
  hooks.beginIdle.tap("idle", () => {
    const promise = Promise.all(strategy.pending());
    currentIdlePromise = promise.then(() => strategy.afterAllStored());
    if (reportProgress) {
      currentIdlePromise = currentIdlePromise.then(() => {
        reportProgress(1, "stored");
      });
    }
  });
  return () => currentIdlePromise;
}

module.exports = { onIdle };
