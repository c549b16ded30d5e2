// Work in flight counted up and down to decide: tested for zero to say the batch drained. The
// program's bookkeeping, not a metric, even though the number is also handed out.
// expect: none
function Batch(onDrain) {
  this.onDrain = onDrain;
  this.running = 0;
}

Batch.prototype.size = function size() {
  return this.running;
};

Batch.prototype.add = function add(task) {
  var self = this;
  self.running++;
  task(function done() {
    self.running--;
    if (self.running === 0) self.onDrain();
  });
};

module.exports = Batch;
