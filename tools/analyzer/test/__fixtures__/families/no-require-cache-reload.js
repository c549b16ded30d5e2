// Hot reload of a service file: Node's own module registry entry is dropped so the next `require`
// reads the file again. Nothing here keeps a cache.
// expect: none
function reloadService(filename) {
  Object.keys(require.cache).forEach(function (key) {
    if (key == filename) {
      delete require.cache[key];
    }
  });
  return require(filename);
}

module.exports = { reloadService };
