// A connection slot tested by truthiness with an offline queue: messages wait while there is no
// socket, are flushed when one connects, and the slot is emptied when it closes — no run is held.
// expect: none
export class Client {
  constructor() {
    this.socket = null;
    this.offline = [];
  }
  send(message) {
    if (!this.socket) {
      this.offline.push(message);
      return;
    }
    this.socket.write(message);
  }
  onConnect(socket) {
    this.socket = socket;
    while (this.offline.length > 0) this.socket.write(this.offline.shift());
  }
  onClose() {
    this.socket = null;
  }
}
