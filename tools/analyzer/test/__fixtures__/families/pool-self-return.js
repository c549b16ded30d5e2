// Hashers reused from a pool: made with the pool, they push themselves back after digest.
// expect: memory/object-pool 12-25 elim 9 "free list `instancesPool`"
class Hasher {
  constructor(state, instancesPool) {
    this.state = state;
    this.instancesPool = instancesPool;
  }

  digest() {
    const out = this.state.final();
    this.state.reset();
    this.instancesPool.push(this);
    const text = out.toString("hex");
    return text.toUpperCase();
  }
}

const createHasher = (makeState, instancesPool) => {
  if (instancesPool.length > 0) {
    const reused = instancesPool.pop();
    reused.state.reset();
    return reused;
  }
  return new Hasher(makeState(), instancesPool);
};

module.exports = { createHasher };
