// A failure handler handed to `.catch` by name that only logs and reports: nothing runs again.
// expect: none
function openOnce(transport, log, done) {
  const onFailure = (err) => {
    log.error("open failed", err);
    done(err);
  };
  transport.open().then(() => done(null)).catch(onFailure);
}

module.exports = { openOnce };
