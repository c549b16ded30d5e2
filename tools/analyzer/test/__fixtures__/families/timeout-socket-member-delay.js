// A connect timeout on the socket's own idle timer, its delay read from the options: the callback
// (second argument) ends the socket and fails the open with a timeout error.
// expect: response/timeout 8-11 elim 4 "fails `openCallback` with an error"
const net = require("node:net");

function open(options, openCallback) {
  const sock = net.connect(options.port, options.host);
  sock.setTimeout(options.connectTimeout, () => {
    sock.end();
    openCallback(new Error("connect ETIMEDOUT"));
  });
  return sock;
}

module.exports = { open };
