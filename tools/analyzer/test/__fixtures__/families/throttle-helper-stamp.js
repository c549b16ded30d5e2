// Progress is redrawn at most every 500 ms: the gate calls the redraw, and the redraw stamps the
// time it ran (one level of helper); offsets are committed once the interval since the last commit
// has passed, the commit stamping it.
// expect: response/throttle 9-9 elim 1 "stamped with the clock"
// expect: response/throttle 26-26 elim 1 "stamped with the clock"
export function progress(render) {
  let lastUpdate = 0;
  const updateThrottled = () => {
    if (lastUpdate + 500 < Date.now()) update();
  };
  const update = () => {
    render();
    lastUpdate = Date.now();
  };
  return updateThrottled;
}

export class OffsetManager {
  constructor(commit, interval) {
    this.commit = commit;
    this.interval = interval;
    this.lastCommit = Date.now();
  }

  async commitIfNecessary() {
    const due = Date.now() >= this.lastCommit + this.interval;
    if (due) return this.commitOffsets();
  }

  async commitOffsets() {
    await this.commit();
    this.lastCommit = Date.now();
  }
}
