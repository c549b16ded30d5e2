// Single-entry memos keyed by the last input seen: a request's parsed URL refilled when its raw URL
// changes, and a module record holding a parsed certificate with the address it came from (the hit
// returns nothing: the record is read elsewhere).
// expect: caching/memoize 11-17 elim 5 "last input"
// expect: caching/memoize 20-26 elim 5 "last input"
const url = require("node:url");

const ca = { url: null, cert: null };

function Request() {}
Request.prototype.getUrl = function getUrl() {
  if (this._cachedUrl !== this.url) {
    this._url = url.parse(this.url);
    this._cachedUrl = this.url;
  }
  return this._url;
};

async function loadRoot(options, fetchPem, parsePem) {
  if (ca.url === options.rootUrl) {
    return;
  }
  const pem = await fetchPem(options.rootUrl);
  if (pem.length > 10000) throw new Error("The root certificate is too large: check rootUrl.");
  ca.cert = parsePem(pem);
  ca.url = options.rootUrl;
}

module.exports = { Request, loadRoot, ca };
