// Chunk lengths summed only to concatenate them once.
// expect: none
function readAll(stream, done) {
  const chunks = [];
  let length = 0;
  stream.on("data", (chunk) => {
    chunks.push(chunk);
    length += chunk.length;
  });
  stream.on("end", () => done(Buffer.concat(chunks, length)));
}

module.exports = { readAll };
