// Requests in flight: raised when one arrives, lowered when it ends (or is dropped), never
// tested — the server only hands the number out through an accessor. A gauge, kept by hand.
// expect: monitoring/counter 7-18 elim 3 "raised and lowered by one (a gauge nothing decides on)"
// expect: monitoring/counter 22-22 elim 1 "raised and lowered by one"
function Server(handler) {
  this.handler = handler;
  this._inflight = 0;
}

Server.prototype.inflight = function inflight() {
  return this._inflight;
};

Server.prototype.onRequest = function onRequest(req, res) {
  var self = this;
  self._inflight++;
  if (req.aborted) {
    self._inflight--;
    return;
  }
  self.handler(req, res, function done() {
    self._inflight--;
  });
};

module.exports = Server;
