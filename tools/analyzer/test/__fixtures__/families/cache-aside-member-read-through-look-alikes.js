// Near misses of a member read-through: a hit that throws (create unless it exists), a method
// handed the loaded value that writes another store, a miss that loads and logs without keeping,
// and a backend written under another key.
// expect: none
import { BaseRegistry } from "./cache-aside-base-manager.js";

export class TeamRegistry extends BaseRegistry {
  async create(id) {
    if (this.entries.has(id)) throw new Error(`team ${id} exists`);
    const payload = await this.client.request(`/teams`, { id });
    return this._insert(payload);
  }

  async audit(id) {
    const known = this.entries.get(id);
    if (known) return known;
    const events = await this.client.request(`/audit/${id}`);
    return this._record(events);
  }

  _record(events) {
    this.log.set(events.id, events);
    return events;
  }

  async peek(id) {
    const known = this.entries.get(id);
    if (known) return known;
    const payload = await this.client.request(`/teams/${id}`);
    console.log(payload);
    return payload;
  }

  async mirror(id) {
    const stored = await this.backend.get(id);
    if (stored === undefined) {
      const rows = await this.client.request(`/rows/${id}`);
      await this.backend.put(`copy:${id}`, rows);
      return rows;
    }
    return stored;
  }
}
