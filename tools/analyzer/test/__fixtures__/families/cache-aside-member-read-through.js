// Read-throughs over a member store: a subclass returns the hit, and on a miss loads and hands the
// value to the inherited `_insert` (another file) that writes the store; an injected backend
// written through its own `put` under the same key (a keyed flow in one function already).
// expect: caching/cache-aside 10-15 elim 6 "hands the value to `this._insert`, which writes `this.entries`"
// expect: caching/cache-aside 25-33 elim 5 "writes `this.backend.put(sql, rows)` on a miss"
import { BaseRegistry } from "./cache-aside-base-manager.js";

export class ProjectRegistry extends BaseRegistry {
  async fetch(id, { refresh = false } = {}) {
    if (!refresh) {
      const known = this.entries.get(id);
      if (known) return known;
    }
    const payload = await this.client.request(`/projects/${id}`);
    return this._insert(payload);
  }
}

export class QueryRunner {
  constructor(backend, run) {
    this.backend = backend;
    this.run = run;
  }

  async select(sql) {
    const stored = await this.backend.get(sql);
    if (stored === undefined) {
      const rows = await this.run(sql);
      await this.backend.put(sql, rows);
      return rows;
    }
    return stored;
  }
}
