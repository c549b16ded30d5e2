// Requests go to the same host over and over: the last host string and its parsed form are kept.
// expect: caching/memoize 3-12 elim 7 "last input"
let lastHost = null;
let lastParsed = null;

function parseHost(host) {
  if (host === lastHost) {
    return lastParsed;
  }
  const parsed = host.split(":").map((part) => part.trim());
  lastHost = host;
  lastParsed = parsed;
  return parsed;
}

module.exports = { parseHost };
