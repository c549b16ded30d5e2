// Settings put back to their defaults with the factory they were made by: not a store filled on
// a miss, so nothing is invalidated.
// expect: none
const defaults = () => ({ retries: 3, verbose: false });
let settings = defaults();

function configure(overrides) {
  settings = { ...settings, ...overrides };
  return settings;
}

function resetSettings() {
  settings = defaults();
}

module.exports = { configure, resetSettings };
