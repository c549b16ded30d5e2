// The same on module variables: the fresh value is handed back early, else it is read again and
// stamped.
// expect: caching/ttl-cache 11-13 elim 3 "`cached` worked out again and the stamp renewed"
const fs = require("node:fs");

const MAX_AGE = 5000;
let cached;
let loadedAt = 0;

function readConfig(path) {
  if (cached && Date.now() - loadedAt < MAX_AGE) return cached;
  cached = JSON.parse(fs.readFileSync(path, "utf8"));
  loadedAt = Date.now();
  return cached;
}

module.exports = { readConfig };
