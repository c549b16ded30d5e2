// Look-alikes: a timer that starts the next job looked up through a call (scheduling work, nothing
// fails), and one that emits an event that names no timeout.
// expect: none
export class Scheduler {
  constructor(gapMs) {
    this.gapMs = gapMs;
    this.jobs = new Map();
  }

  later(name, emitter) {
    setTimeout(() => {
      this.jobs.get(name).start();
    }, this.gapMs);
    setTimeout(() => {
      emitter.emit("ready");
    }, this.gapMs);
  }
}
