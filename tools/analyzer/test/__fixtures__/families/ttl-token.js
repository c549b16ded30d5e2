// An access token reused until its stamped expiry; renewed otherwise.
// expect: caching/ttl-cache 11-14 elim 2 "compared with the clock"
class TokenSource {
  constructor(fetchToken) {
    this.fetchToken = fetchToken;
    this.token = null;
    this.expires = 0;
  }

  async get() {
    if (this.token && this.expires > Date.now()) return this.token;
    const { token, ttl } = await this.fetchToken();
    this.token = token;
    this.expires = Date.now() + ttl * 1000;
    return token;
  }
}

module.exports = { TokenSource };
