// A module's running total of bytes in flight: raised when a request starts, checked by the
// getter that refuses new payloads over the cap.
// expect: memory/size-accounting 24-24 elim 1 "summed from lengths in another function"
const maxActiveBytes = 64 * 1024 * 1024;

let activeBytes = 0;

function request(options, send, callback) {
  if (!request.writable) return callback(null);
  activeBytes += options.headers["Content-Length"] ?? 0;
  let finished = false;
  send(options, (err, res) => {
    if (!finished) {
      finished = true;
      activeBytes -= options.headers["Content-Length"] ?? 0;
    }
    callback(err, res);
  });
  return undefined;
}

Object.defineProperty(request, "writable", {
  get() {
    return activeBytes < maxActiveBytes;
  },
});

module.exports = request;
