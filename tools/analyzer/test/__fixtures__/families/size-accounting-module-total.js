// A module's total of bytes in flight: declared with its cap, raised and given back per request,
// checked by the getter that refuses new payloads — one range per place.
// expect: memory/size-accounting 7-9 elim 2 "declared here, checked against its limit elsewhere"
// expect: memory/size-accounting 13-13 elim 1 "raised or given back here"
// expect: memory/size-accounting 18-18 elim 1 "raised or given back here"
// expect: memory/size-accounting 27-27 elim 1 "summed from lengths in another function"
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
