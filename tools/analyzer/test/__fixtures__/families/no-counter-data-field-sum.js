// Counts read from the installer's progress records (a field of the data, defaulted to 0) and
// shown in the summary message: the program's data, not a metric.
// expect: none
function install(child, logger) {
  let addedCount = 0;
  let removedCount = 0;
  child.stdout.on("data", (json) => {
    if (json.name === "stats") {
      addedCount += json.added ?? 0;
      removedCount += json.removed || 0;
    }
  });
  child.on("exit", () => {
    if (addedCount > 0 || removedCount > 0) {
      logger.log({ message: `Added ${addedCount} and removed ${removedCount} packages` });
    }
  });
}

module.exports = { install };
