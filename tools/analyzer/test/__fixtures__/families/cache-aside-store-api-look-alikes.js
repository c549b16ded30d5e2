// A read and another method of the same receiver under the same key that are no get-or-compute:
// a header appended when absent, a listener added for a missing key, a constant put as a marker.
// expect: none
function ensureVary(headers, name) {
  const present = headers.get(name);
  if (!present) {
    headers.append(name, computeVary(name));
  }
}

function listenOnce(emitter, name, handler) {
  const existing = emitter.get(name);
  if (existing) return existing;
  emitter.on(name, () => handler(name));
  return undefined;
}

function markVisited(visits, url) {
  if (visits.get(url)) return false;
  visits.put(url, true);
  return true;
}

function computeVary(name) {
  return name.toLowerCase();
}

module.exports = { ensureVary, listenOnce, markVisited };
