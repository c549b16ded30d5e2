"use strict";

/** @typedef {WeakMap<object, string>} NameMap */
/** @type {WeakMap<object, NameMap>} */
const namesCache = new WeakMap();

/**
 * @param {object} scope the scope
 * @param {object} node the node
 * @returns {string} its name
 */
const nameOf = (scope, node) => {
  let names = namesCache.get(scope);
  if (names === undefined) {
    names = new WeakMap();
    namesCache.set(scope, names);
  }
  const known = names.get(node);
  if (known !== undefined) return known;
  const name = `${Object.keys(scope).length}:${Object.keys(node).join(".")}`;
  names.set(node, name);
  return name;
};

module.exports = { nameOf };
