// While a renewal runs, later callers are queued and answered with its one result: the test, the
// queueing, the pending flag and the drain in the renewal's callback are one mechanism.
// expect: response/dedup 12-22 elim 7 "queued in `this.waiting` while one run is pending"
export class TokenSource {
  constructor(fetchToken) {
    this.fetchToken = fetchToken;
    this.renewing = false;
    this.waiting = [];
  }

  getToken(callback) {
    if (this.renewing) {
      return this.waiting.push(callback);
    }
    this.renewing = true;
    this.fetchToken((err, token) => {
      const waiting = this.waiting;
      this.waiting = [];
      this.renewing = false;
      callback(err, token);
      waiting.forEach((cb) => cb(err, token));
    });
  }
}
