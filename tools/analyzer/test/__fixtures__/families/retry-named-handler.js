// A connect retried after a fixed pause: the failure handler is a local handed to `.catch` by
// name, and it arms a timer that runs the connect again.
// expect: response/retry-poll 8-16 elim 9 "schedules the operation again"
function connectForever(transport, log) {
  return new Promise((resolve) => {
    const attempt = () => {
      let again = false;
      const onFailure = (err) => {
        if (again) return;
        again = true;
        log.warn("connect failed", err);
        setTimeout(() => {
          attempt();
        }, 3000);
      };
      transport.open().then(resolve).catch(onFailure);
    };
    attempt();
  });
}

module.exports = { connectForever };
