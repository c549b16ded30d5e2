// While a renewal runs, later callers are queued and answered with its one result.
// expect: response/dedup 11-13 elim 3 "callers are queued"
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
