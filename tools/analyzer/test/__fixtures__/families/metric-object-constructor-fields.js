// A constructor function's zeroed self-statistics (the record), read by a stats accessor and
// counted in prototype methods far below.
// expect: monitoring/metric-object 8-10 elim 3 "declared together as zeroed fields"
// expect: monitoring/counter 16-20 elim 5 "reported away from where they are counted"
// expect: monitoring/counter 37-46 elim 3 "only incremented"
function Client(opts) {
  this.opts = opts;
  this.numEvents = 0;
  this.numDropped = 0;
  this.numSent = 0;
  this.queue = [];
  this.writing = false;
}

Client.prototype.stats = function stats() {
  return {
    events: this.numEvents,
    dropped: this.numDropped,
    sent: this.numSent,
  };
};

Client.prototype.flushNow = function flushNow(transport) {
  const batch = this.queue.splice(0);
  if (batch.length === 0) return;
  this.writing = true;
  transport.send(batch, () => {
    this.writing = false;
  });
};

Client.prototype.describe = function describe() {
  return `client for ${this.opts.url} (${this.queue.length} queued)`;
};

Client.prototype.add = function add(event) {
  this.numEvents++;
  if (this.queue.length >= this.opts.max) {
    this.numDropped++;
    return;
  }
  this.queue.push(event);
};

Client.prototype.onSent = function onSent(n) {
  this.numSent += n;
};

module.exports = { Client };
