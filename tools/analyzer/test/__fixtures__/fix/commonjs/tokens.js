"use strict";

function tokenize(source) {
  return source.split(/\s+/).filter(Boolean);
}

/** @type {Map<string, string[]>} */
const tokenCache = new Map();

// The map's JSDoc type says what it holds: the value is never undefined.
exports.tokensOf = function (source) {
  const hit = tokenCache.get(source);
  if (hit !== undefined) return hit;
  const tokens = tokenize(source);
  tokenCache.set(source, tokens);
  return tokens;
};
