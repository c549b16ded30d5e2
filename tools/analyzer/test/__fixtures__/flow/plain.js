/**
 * A Flow-typed module: the same code as plain.js, line for line, with types.
 * (here without them)
 */

import { systemClock } from "./clock";











const parsed = new Map(); // clés → mots 🙂

export function tokens(source) {
  const known = parsed.get(source);
  if (known !== undefined) return known;
  const value = source.split(/\s+/).map((t) => t.trim());
  parsed.set(source, value);
  return value;
}

export class Report {
  _items;
  _names = null;

  constructor(items) {
    this._items = items;
  }

  names() {
    if (this._names) return this._names;
    this._names = this._items.map((item) => item.name.toUpperCase());
    return this._names;
  }

  reset() {
    this._names = null;
  }
}

export async function timed(work, log, clock = systemClock) {
  const started = Date.now();
  const result = await work();
  log.info(`work took ${Date.now() - started} ms — done ✓`);
  return result;
}

export function withDeadline(work, ms) {
  return Promise.race([
    work,
    new Promise((_, reject) => setTimeout(() => reject(new Error("slow")), ms)),
  ]);
}

export function size(value, fs) {
  return value.length;
}
