// A module slot served to a callback while its stamp is young; refilled in the request's callback.
// expect: caching/ttl-cache 10-21 elim 12 "stamp `keptAt` written from the clock"
const TTL = 60_000;

let keptFor = null;
let kept = null;
let keptAt = 0;

function fetchInfo(url, done, send) {
  if (keptFor !== null && keptFor !== url) {
    reset();
  } else if (kept !== null && Date.now() - keptAt < TTL) {
    return process.nextTick(done, null, kept);
  }
  send(url, (err, body) => {
    if (err) return done(err);
    kept = JSON.parse(body);
    keptFor = url;
    keptAt = Date.now();
    done(null, kept);
  });
}

function reset() {
  keptFor = null;
  kept = null;
  keptAt = 0;
}

module.exports = { fetchInfo, reset };
