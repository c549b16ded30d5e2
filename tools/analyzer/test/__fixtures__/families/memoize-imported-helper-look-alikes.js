// Near misses of a memo handed to a helper: the upsert helper (the updater runs every call),
// group-by registries (the factory makes an empty list; the entry is filled in place at once), a
// resource per key made from constants only, a store that is a parameter, and a call whose result
// is dropped.
// expect: none
import { computeMissing, mergeInto } from "./memoize-helper-utility.js";
import { makeList } from "./lists.js";
import { Agent } from "./agents.js";

const totals = new Map();
export function addTo(account, amount) {
  return mergeInto(totals, account, (old) => (old ?? 0) + amount);
}

const byOwner = new Map();
export function group(item) {
  return computeMissing(byOwner, item.owner, () => []).length;
}

const byTag = new Map();
export function tag(item) {
  return computeMissing(byTag, item.tag, makeList).push(item);
}

const agents = new Map();
export function agentFor(origin) {
  return computeMissing(agents, origin, () => new Agent({ keepAlive: true }));
}

export function lookUp(table, key, derive) {
  return computeMissing(table, key, () => derive(key));
}

const warmed = new Map();
export function warm(key, derive) {
  computeMissing(warmed, key, () => derive(key));
}
