// The reply's elapsed time, as the getter of a property descriptor with an early answer for a reply
// not started: the descriptor is the construct.
// expect: monitoring/timer-delta 10-17 elim 8 "elapsed time `(this[kEnd] || now()) - this[kStart]`"
// expect: monitoring/timer-delta 23-23 elim 1 "start mark `reply[kStart] = now();`"
const kStart = Symbol("start");
const kEnd = Symbol("end");
const now = () => performance.now();

Object.defineProperties(Reply.prototype, {
  elapsedTime: {
    get() {
      if (this[kStart] === undefined) {
        return 0;
      }
      return (this[kEnd] || now()) - this[kStart];
    },
  },
});

function Reply() {}

export function start(reply) {
  reply[kStart] = now();
}

export function end(reply) {
  reply[kEnd] = now();
}
