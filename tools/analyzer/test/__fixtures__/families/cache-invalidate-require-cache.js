// Hot reload of a service file: Node's own module registry entry is dropped so the next `require`
// reads the file again — nothing here keeps a cache. A config reloaded only when its file changed
// since the last load drops the entry on a stale stamp: that is invalidation by hand.
// expect: caching/cache-invalidate 21-21 elim 1 "a store this code fills on a miss"
const fs = require("node:fs");

function reloadService(filename) {
  Object.keys(require.cache).forEach(function (key) {
    if (key == filename) {
      delete require.cache[key];
    }
  });
  return require(filename);
}

const loadedAt = new Map();

function loadConfig(path) {
  const mtime = fs.statSync(path).mtimeMs;
  if (loadedAt.get(path) !== mtime) {
    delete require.cache[path];
  }
  loadedAt.set(path, mtime);
  return require(path);
}

module.exports = { reloadService, loadConfig };
