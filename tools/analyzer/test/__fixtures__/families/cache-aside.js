// Manifest files read from disk once per path.
// expect: caching/cache-aside 5-12 elim 5 "loaded (I/O or a callback)"
const fs = require("node:fs");

const manifests = new Map();
function readManifest(path) {
  const cached = manifests.get(path);
  if (cached !== undefined) return cached;
  const manifest = JSON.parse(fs.readFileSync(path, "utf8"));
  manifests.set(path, manifest);
  return manifest;
}

module.exports = { readManifest };
