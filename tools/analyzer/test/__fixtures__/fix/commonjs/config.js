"use strict";

const { readFileSync } = require("node:fs");

// Reads a JSON file and logs how long it took.
function loadConfig(path) {
  const start = Date.now();
  const text = readFileSync(path, "utf8");
  console.log(`config read in ${Date.now() - start} ms`);
  return JSON.parse(text);
}

module.exports = { loadConfig };
