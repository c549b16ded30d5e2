// Tallies kept across events and reported in the run's result.
// expect: monitoring/counter 5-8 elim 2 "only incremented"
// expect: monitoring/counter 6-11 elim 2 "only incremented"
function track(client, report) {
  let errors = 0;
  let timeouts = 0;
  client.on("error", () => {
    errors++;
  });
  client.on("timeout", () => {
    timeouts++;
  });
  client.on("done", () => report({ errors, timeouts }));
}

module.exports = { track };
