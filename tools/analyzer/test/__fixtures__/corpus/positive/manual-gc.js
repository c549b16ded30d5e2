// expect: memory/manual-gc
function afterImport() {
  if (global.gc) {
    global.gc();
  }
}
module.exports = { afterImport };
