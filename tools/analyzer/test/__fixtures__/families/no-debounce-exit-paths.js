// A graceful-reload wait: the timer is cleared on the paths that give up at once and armed again
// on the path that waits. Nothing is re-armed on every call.
// expect: none
function softReload(oldWorker, newWorker, graceMs, remove, done) {
  let timer = null;
  const onListen = () => {
    clearTimeout(timer);
    stopOld();
  };
  newWorker.once("listening", onListen);
  timer = setTimeout(() => {
    newWorker.removeListener("listening", onListen);
    stopOld();
  }, graceMs);

  const stopOld = function () {
    const cleanUp = () => {
      clearTimeout(timer);
      return remove(oldWorker.id, done);
    };
    oldWorker.once("disconnect", cleanUp);
    try {
      if (oldWorker.state !== "dead") oldWorker.send("shutdown");
      else {
        clearTimeout(timer);
        return remove(oldWorker.id, done);
      }
    } catch (e) {
      clearTimeout(timer);
      return remove(oldWorker.id, done);
    }
    timer = setTimeout(() => {
      oldWorker.removeListener("disconnect", cleanUp);
      return remove(oldWorker.id, done);
    }, graceMs);
    return false;
  };
}

module.exports = { softReload };
