// An entity store that mirrors a server's state: lookups fetch on a miss, and the gateway's delete
// events take the entity out and pass it on to listeners. The removal is news handed on (the
// entry is read first and emitted or returned), not a stale value dropped.
// expect: caching/cache-aside 12-18 elim 4 "loaded (I/O or a callback) on a miss"
export class RoleStore {
  constructor(api, emitter) {
    this.api = api;
    this.emitter = emitter;
    this.cache = new Map();
  }

  async fetch(id) {
    const existing = this.cache.get(id);
    if (existing) return existing;
    const role = await this.api.get(`/roles/${id}`);
    this.cache.set(id, role);
    return role;
  }

  handleDelete(data) {
    const role = this.cache.get(data.role_id);
    if (role) {
      this.cache.delete(data.role_id);
      this.emitter.emit("roleDelete", role);
    }
    return { role };
  }
}
