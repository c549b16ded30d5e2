// A heartbeat re-armed after each ping: a scheduling timer.
// expect: none
class Heartbeat {
  constructor(ping, pingInterval) {
    this.ping = ping;
    this.pingInterval = pingInterval;
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.ping().then(() => this.schedule(), () => this.schedule());
    }, this.pingInterval);
  }
}

module.exports = { Heartbeat };
