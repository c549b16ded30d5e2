// A connect timer destroys the socket unless the connection is made first.
// expect: response/timeout 5-9 elim 4 "cleared when the operation settles"
function connect(net, options, onReady) {
  const socket = net.connect(options);
  const timer = setTimeout(() => {
    socket.destroy(new Error("connect ETIMEDOUT"));
  }, options.connectTimeout);
  socket.once("connect", () => {
    clearTimeout(timer);
    onReady(socket);
  });
  return socket;
}

module.exports = { connect };
