// A server timeout counted from when the request arrived: no timeout, none; already past, the reply
// times out at once; else the timer — all of it the timeout's construct, from the delay's local on.
// expect: response/timeout 9-27 elim 14 "whose callback fails `request._reply` with an error"
const internals = {};

class Request {
  _setTimeouts(log) {
    log("timeouts");
    let serverTimeout = this.route.settings.timeout.server;
    if (!serverTimeout) {
      return;
    }

    const elapsed = Date.now() - this.info.received;
    serverTimeout = Math.floor(serverTimeout - elapsed);

    if (serverTimeout <= 0) {
      internals.timeoutReply(this, serverTimeout);
      return;
    }

    this._serverTimeoutId = setTimeout(internals.timeoutReply, serverTimeout, this, serverTimeout);
  }

  _finish() {
    clearTimeout(this._serverTimeoutId);
  }
}

internals.timeoutReply = function (request, timeout) {
  request._reply(new Error(`Server timeout after ${timeout}`));
};

module.exports = { Request };
