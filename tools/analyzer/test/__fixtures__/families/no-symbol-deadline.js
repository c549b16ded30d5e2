// A deadline kept under a symbol and compared with the clock: time left, not time measured.
// expect: none
const kDeadline = Symbol("deadline");

function arm(request, timeoutMs) {
  request[kDeadline] = Date.now() + timeoutMs;
}

function expired(request) {
  return Date.now() - request[kDeadline] > 0;
}

module.exports = { arm, expired };
