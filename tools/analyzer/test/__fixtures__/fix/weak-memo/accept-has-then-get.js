// A memo that tests `has`, fills on absence and returns `get` (eslint's config hash).
const { createHash } = require("node:crypto");

const configHashCache = new WeakMap();

/**
 * The hash of a config object.
 * @param {object} config The config.
 * @returns {string} its hash
 */
function hashOfConfigFor(config) {
  if (!configHashCache.has(config)) {
    configHashCache.set(
      config,
      createHash("sha1").update(JSON.stringify(config)).digest("hex"),
    );
  }

  return configHashCache.get(config);
}

module.exports = { hashOfConfigFor };
