// Near miss of object-pool-keyed-free-lists.js: jobs queued per key through an accessor, each
// taken off and run — consumed, never handed out or given back; no free list.
// expect: none
export function KeyedRunner() {
  this.lists = {};
}

KeyedRunner.prototype.add = function (key, job) {
  this.listFor(key).push(job);
};

KeyedRunner.prototype.next = function (key) {
  let job = this.listFor(key).shift();
  if (!job) {
    job = makeIdle(key);
  }
  job.run();
};

KeyedRunner.prototype.listFor = function (key) {
  return (this.lists[key] = this.lists[key] || []);
};

function makeIdle(key) {
  return { key, run() {} };
}
