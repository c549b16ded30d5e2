// An acknowledgement bounded by a timer: it drops the pending entry and its buffered packet, then
// fails the callback; the reply clears it.
// expect: response/timeout 5-13 elim 8 "fails `ack` with an error"
function registerAck(acks, buffer, id, ack, ms) {
  const timer = setTimeout(() => {
    acks.delete(id);
    for (let i = buffer.length - 1; i >= 0; i--) {
      if (buffer[i].id === id) buffer.splice(i, 1);
    }
    ack(new Error("operation has timed out"));
  }, ms);
  acks.set(id, (...args) => {
    clearTimeout(timer);
    ack(null, ...args);
  });
}

module.exports = { registerAck };
