// A socket client that opens the connection again a fixed second after each loss: the `close`
// listener that `open` registers leads back to `scheduleReconnect`, whose timer runs `open`.
// expect: response/retry-poll 20-22 elim 3 "registers the `close` listener"
const net = require("node:net");

function createClient(port, onMessage) {
  let socket = null;

  function open() {
    socket = net.connect(port);
    socket.on("data", (chunk) => onMessage(chunk.toString("utf8")));
    socket.on("close", onClose);
  }

  function onClose() {
    socket = null;
    scheduleReconnect();
  }

  function scheduleReconnect() {
    setTimeout(open, 1000);
  }

  open();
  return {
    send(text) {
      if (socket !== null) socket.write(text);
    },
  };
}

module.exports = { createClient };
