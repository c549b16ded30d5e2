// A connect deadline: a timer from socket creation emits an event named for the timeout, and is
// cleared when the socket connects or closes.
// expect: response/timeout 6-14 elim 5 "emits 'handshakeTimeout'"
export function watchConnect(req, ms) {
  req.on("socket", (socket) => {
    let timer = setTimeout(() => {
      req.emit("handshakeTimeout");
    }, ms);
    socket.on("connect", () => {
      clearTimeout(timer);
      timer = null;
    });
    socket.on("close", () => {
      if (timer) clearTimeout(timer);
    });
  });
}
