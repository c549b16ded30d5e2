// Callers queued while one run is pending, all answered with its result when it ends: an open()
// whose callbacks wait on a stack while the first call connects, and a flush whose promise
// settlers wait in a module list while one write is in flight (the drain in another function).
// expect: response/dedup 9-24 elim 8 "queued in `this.waiting` while one run is pending"
// expect: response/dedup 32-34 elim 3 "queued in `pendingFlushes` while one run is pending"
// expect: response/dedup 40-43 elim 4 "answers every waiter queued in `pendingFlushes`"
class Link {
  open(done) {
    this.waiting.push(done);
    if (this.opening) return;
    this.opening = true;
    dial(this.address)
      .then((socket) => {
        this.socket = socket;
        this.opening = false;
        this.waiting.forEach((fn) => setImmediate(fn, null, socket));
      })
      .catch((err) => {
        this.opening = false;
        this.waiting.forEach((fn) => setImmediate(fn, err));
      })
      .then(() => {
        this.waiting = [];
      });
  }
}

let pendingFlushes = [];
let writing = false;
export function flush(buffer) {
  return new Promise((resolve, reject) => {
    pendingFlushes.push({ resolve, reject });
    if (writing) return;
    writing = true;
    write(buffer).then(finish, finish);
  });
}

function finish(err) {
  writing = false;
  for (const w of pendingFlushes.splice(0))
    if (err) w.reject(err);
    else w.resolve();
}

function dial(address) {
  return Promise.resolve(address);
}
function write(buffer) {
  return Promise.resolve(buffer);
}
