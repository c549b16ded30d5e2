// Versions read from a package manifest once per folder: the local that is stored is assigned on
// the miss from a part of the parsed file (inside a try), and a second memo stores a part of a
// call's result directly.
// expect: caching/memoize 15-28 elim 5 "writes `this.versions.set(folder, version)` on a miss"
// expect: caching/cache-aside 31-38 elim 4 "writes `names.set(folder, name)` on a miss"
import { readFileSync } from "node:fs";
import { join } from "node:path";

export class Manifests {
  constructor(log) {
    this.versions = new Map();
    this.log = log;
  }

  versionIn(folder) {
    if (this.versions.has(folder)) {
      return this.versions.get(folder);
    }
    let version;
    try {
      const found = JSON.parse(readFileSync(join(folder, "package.json"), "utf8")).version;
      if (typeof found === "string") version = found;
    } catch (err) {
      this.log(folder, err);
    }
    this.versions.set(folder, version);
    return version;
  }
}

const names = new Map();

export function nameIn(folder) {
  if (names.has(folder)) return names.get(folder);
  const name = JSON.parse(readFileSync(join(folder, "package.json"), "utf8")).name;
  names.set(folder, name);
  return name;
}
