// A slot holding work in flight, let go of when it settles (`.finally(() => x = null)`) in
// another method: in-flight sharing, not a cache emptied.
// expect: none
class Syncer {
  constructor(run) {
    this._run = run;
    this._running = null;
  }
  start() {
    this._running = this._run();
    this._running.finally(() => (this._running = null));
    return this._running;
  }
  whenIdle() {
    return this._running ?? Promise.resolve();
  }
}
module.exports = { Syncer };
