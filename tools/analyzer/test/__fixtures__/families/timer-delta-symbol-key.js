// Start and end marks kept under symbols on the reply; a getter reads the time between them.
// expect: monitoring/timer-delta 8-18 elim 2 "start mark `reply[kStartTime] = now();`"
const kStartTime = Symbol("startTime");
const kEndTime = Symbol("endTime");
const { now } = require("./clock");

function trackReply(reply) {
  reply[kStartTime] = now();
  reply.raw.once("finish", () => {
    reply[kEndTime] = now();
  });
}

const replyTiming = {
  elapsedTime: {
    get() {
      if (this[kStartTime] === undefined) return 0;
      return (this[kEndTime] || now()) - this[kStartTime];
    },
  },
};

module.exports = { trackReply, replyTiming };
