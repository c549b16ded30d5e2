// Memos whose entry the function goes on to use itself after the miss branch (iterated, indexed,
// a member read), a value taken from a destructured result, and a formatter made with an options
// record: the entry is computed on the miss and served to the function's own work.
// expect: caching/memoize 11-19 elim 5 "writes `compiled.set(key, matchers)` on a miss"
// expect: caching/cache-aside 24-31 elim 5 "writes `lines.set(file, text)` on a miss"
// expect: caching/memoize 36-43 elim 4 "writes `versions.set(dir, version)` on a miss"
// expect: caching/memoize 45-51 elim 4 "writes `formats.set(zone, format)` on a miss"
import { readFileSync } from "node:fs";
import { join } from "node:path";

const compiled = new Map();

export function matchesAny(patterns, path) {
  const key = patterns.join("\n");
  let matchers = compiled.get(key);
  if (!matchers) {
    matchers = patterns.map((p) => new RegExp(p));
    compiled.set(key, matchers);
  }
  for (const m of matchers) if (m.test(path)) return true;
  return false;
}

const lines = new Map();

export function lineOf(file, at) {
  let text = lines.get(file);
  if (!text) {
    text = readFileSync(file, "utf8").split("\n");
    lines.set(file, text);
  }
  const line = text[at] ?? "";
  return line.trim();
}

const versions = new Map();

export function versionOf(dir) {
  if (versions.has(dir)) return versions.get(dir);
  const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  versions.set(dir, version);
  return version;
}

const formats = new Map();

export function formatIn(zone, date) {
  if (!formats.has(zone)) {
    const format = new Intl.DateTimeFormat("en-US", { timeZone: zone, hour12: false });
    formats.set(zone, format);
  }
  return formats.get(zone).format(date);
}
