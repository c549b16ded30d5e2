// A reply's start mark is set by a function written below the getter that reads it, under a
// symbol: the mark and the getter (its descriptor) are two places, one range each.
// expect: monitoring/timer-delta 8-12 elim 5 "goes to"
// expect: monitoring/timer-delta 16-16 elim 1 "read for an elapsed time on line 10"
const kStart = Symbol("start");

const timing = {
  elapsed: {
    get() {
      return Date.now() - this[kStart];
    },
  },
};

function track(reply) {
  reply[kStart] = Date.now();
  reply.ready = true;
}

module.exports = { timing, track };
