// A module total of bytes written that nothing compares with a limit: a figure, no accounting.
// expect: none
let writtenBytes = 0;

function write(stream, chunk) {
  writtenBytes += chunk.length;
  stream.write(chunk);
}

function written() {
  return writtenBytes;
}

module.exports = { write, written };
