// A poller that reads on every tick and logs failures; the next tick comes whatever happened — a
// schedule, not a retry of a failed attempt.
// expect: none
class Poller {
  constructor(read, interval, log) {
    this.read = read;
    this.interval = interval;
    this.log = log;
  }

  tick() {
    this.timer = setTimeout(() => {
      this.read((err, value) => {
        if (err) {
          this.log(err);
        } else {
          this.value = value;
        }
        this.tick();
      });
    }, this.interval);
  }
}

module.exports = { Poller };
