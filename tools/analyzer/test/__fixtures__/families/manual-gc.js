// Forces a collection by exposing the collector for a moment.
// expect: memory/manual-gc 6-10 elim 5 "exposes the collector"
const v8 = require("node:v8");
const vm = require("node:vm");

function collectNow() {
  v8.setFlagsFromString("--expose-gc");
  vm.runInNewContext("gc")();
  v8.setFlagsFromString("--no-expose-gc");
}

module.exports = { collectNow };
