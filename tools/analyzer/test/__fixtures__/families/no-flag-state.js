// A flag raised beside a value that is given, not computed: state, not a memo.
// expect: none
export class Connection {
  constructor() {
    this.opened = false;
    this.socket = undefined;
  }

  open(socket) {
    if (!this.opened) {
      this.socket = socket;
      this.opened = true;
    }
    return this.socket;
  }
}
