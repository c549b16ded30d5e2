// Which close frames a socket has sent or received, kept as flags under constants required from
// another module: state, not keys remembered. The warnings beside it, one per distinct message,
// are a seen-cache.
// expect: caching/seen-cache 26-27 elim 2 "already handled"
const { closeFrame } = require("./constants");

class Receiver {
  constructor(socket) {
    this.socket = socket;
    this.closeState = new Set();
    this.warned = new Set();
  }

  onClose(frame) {
    if (!this.closeState.has(closeFrame.SENT) && !this.closeState.has(closeFrame.RECEIVED)) {
      this.socket.write(frame);
      this.closeState.add(closeFrame.SENT);
    }
  }

  sentClose() {
    return this.closeState.has(closeFrame.SENT);
  }

  warn(message) {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    process.emitWarning(message);
  }
}

module.exports = { Receiver };
