// Sockets stamped when last used; the least recently used are closed first: the stamps are
// subtracted only to order them, no time is measured.
// expect: none
class SocketList {
  constructor() {
    this.sockets = new Map();
  }

  touch(nodeID, socket) {
    socket.lastUsed = Date.now();
    this.sockets.set(nodeID, socket);
  }

  oldest(count) {
    const list = [];
    this.sockets.forEach((socket, nodeID) => list.push({ nodeID, lastUsed: socket.lastUsed }));
    list.sort((a, b) => a.lastUsed - b.lastUsed);
    return list.slice(0, count);
  }
}

module.exports = { SocketList };
