// A countdown of outstanding callbacks fires once when all are back.
// expect: none
function whenAll(tasks, done) {
  let remaining = tasks.length;
  for (const task of tasks) {
    task(() => {
      remaining--;
      if (remaining === 0) done();
    });
  }
}

module.exports = { whenAll };
