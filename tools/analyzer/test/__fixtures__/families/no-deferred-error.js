// A request that reports its failure on the next tick (so listeners bound after the call still hear
// it): a deferral, not a retry.
// expect: none
class Request {
  constructor(send, setTimeoutFn) {
    this.send = send;
    this.setTimeoutFn = setTimeoutFn;
  }

  create() {
    try {
      this.send();
    } catch (e) {
      this.setTimeoutFn(() => {
        this.onError(e);
      }, 0);
      return;
    }
  }

  onError(err) {
    this.error = err;
  }
}

module.exports = { Request };
