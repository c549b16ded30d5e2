// Lists of callbacks that share no run: a ready queue answered by another event (no run is
// started where callers wait), listeners registered and called on every event (never emptied),
// and a local list drained within one call.
// expect: none
export class Ready {
  whenReady(cb) {
    if (this.ready) return cb();
    this.queue.push(cb);
  }
  markReady() {
    this.ready = true;
    this.queue.forEach((cb) => cb());
    this.queue = [];
  }
}

export class Emitter {
  on(listener) {
    if (this.closed) return;
    this.listeners.push(listener);
  }
  emit(value) {
    for (const l of this.listeners) l(value);
  }
}

export function runAll(tasks, done) {
  const results = [];
  results.push(done);
  if (tasks.length === 0) return;
  tasks.forEach((t) => t());
  results.forEach((r) => r());
}
