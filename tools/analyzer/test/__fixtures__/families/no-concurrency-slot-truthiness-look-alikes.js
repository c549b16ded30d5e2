// A connection slot tested by truthiness with an offline queue: messages wait while there is no
// socket, are flushed when one connects, and the slot is emptied when it closes — no run is held;
// and a protocol whose active command is shifted in when one completes.
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

// A protocol's active command: the slot holds the object packets are handed to, the next command
// is shifted into it when one completes — a state machine, not a caller waiting for its answer.
export class Protocol {
  constructor() {
    this.command = null;
    this.commands = [];
  }
  add(command) {
    if (!this.command) {
      this.command = command;
      this.command.start();
    } else {
      this.commands.push(command);
    }
  }
  onPacket(packet) {
    if (this.command.execute(packet)) this.command = this.commands.shift();
  }
  onFatal(err) {
    this.command = null;
    let next;
    while ((next = this.commands.shift())) next.fail(err);
  }
}
