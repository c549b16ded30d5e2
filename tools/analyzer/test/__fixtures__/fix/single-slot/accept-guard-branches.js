class Request {
  constructor(headers, httpVersion) {
    this.headers = headers;
    this.httpVersion = httpVersion;
    this._keepAlive = undefined;
  }

  isKeepAlive() {
    if (this._keepAlive !== undefined) {
      return this._keepAlive;
    }

    if (this.headers.connection) {
      this._keepAlive = /keep-alive/i.test(this.headers.connection);
    } else if (this.httpVersion === "1.0") {
      this._keepAlive = false;
    } else {
      this._keepAlive = true;
    }

    return this._keepAlive;
  }
}

module.exports = { Request };
