"use strict";

/** @type {WeakMap<object, WeakMap<object, object>>} */
const mergeCache = new WeakMap();

/**
 * @param {object | undefined} first first object
 * @param {object | undefined} second second object
 * @returns {object | undefined} both merged
 */
const cachedMerge = (first, second) => {
  if (second === undefined) return first;
  if (first === undefined) return second;
  let innerCache = mergeCache.get(first);
  if (innerCache === undefined) {
    innerCache = new WeakMap();
    mergeCache.set(first, innerCache);
  }
  const prevMerge = innerCache.get(second);
  if (prevMerge !== undefined) return prevMerge;
  const keys = Object.keys(second);
  const newMerge = { ...first, ...second, keys };
  innerCache.set(second, newMerge);
  return newMerge;
};

module.exports = { cachedMerge };
