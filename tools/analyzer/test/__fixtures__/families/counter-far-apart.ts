// Statistics counted at two places of one long method, far apart: one range each, not one over
// the work between them.
// expect: monitoring/counter 6-10 elim 3 "only incremented"
// expect: monitoring/counter 40-40 elim 1 "only incremented"
export class Resolver {
  statCached = 0;
  statResolved = 0;

  resolve(paths: readonly string[], base: string, log: (line: string) => void): string[] {
    this.statCached += paths.filter((p) => p.startsWith(base)).length;
    const out: string[] = [];
    for (const path of paths) {
      if (path.startsWith(base)) {
        out.push(path);
        continue;
      }
      const parts = path.split("/");
      const normal: string[] = [];
      for (const part of parts) {
        if (part === "" || part === ".") continue;
        if (part === "..") normal.pop();
        else normal.push(part);
      }
      const joined = `/${normal.join("/")}`;
      out.push(`${base}${joined}`);
      out.push(joined);
    }
    const missing = out.filter((p) => p.length === 0);
    if (missing.length > 0) {
      log(`Expected every path to resolve, got ${missing.length} empty.`);
    }
    const sorted = [...out].sort();
    const unique: string[] = [];
    for (const p of sorted) {
      if (unique[unique.length - 1] !== p) unique.push(p);
    }
    if (unique.length !== out.length) {
      log(`${out.length - unique.length} duplicates`);
    }
    this.statResolved++;
    log(`${this.statCached} cached, ${this.statResolved} resolved`);
    return out;
  }
}
