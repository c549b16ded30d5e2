// A retired worker removed after a grace period and listed as retired: a delayed removal, with
// no timer kept beside an idle object to be cleared when it is reused.
// expect: none
function retire(pool, retired, worker, graceMs) {
  setTimeout(() => pool.remove(worker), graceMs).unref();
  retired.push(worker);
}

module.exports = { retire };
