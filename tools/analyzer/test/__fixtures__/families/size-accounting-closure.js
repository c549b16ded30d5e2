// A body's bytes added up as chunks arrive and checked against the limit when it ends: the check
// lives in another function of the closure that keeps the total.
// expect: memory/size-accounting 12-15 elim 4 "in another function of its closure"
function readBody(req, maxBodySize, next) {
  const chunks = [];
  let bytesReceived = 0;
  req.on("data", (chunk) => {
    bytesReceived += chunk.length;
    chunks.push(chunk);
  });
  req.on("end", () => {
    if (maxBodySize && bytesReceived > maxBodySize) {
      next(new Error(`Expected a body of at most ${maxBodySize} bytes, got ${bytesReceived}.`));
      return;
    }
    next(null, Buffer.concat(chunks));
  });
}

module.exports = { readBody };
