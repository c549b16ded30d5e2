// Near miss of cache-invalidate-mirrored-removal-look-alikes: the entry is read only to close
// it, then dropped because its source changed — the stale value is not handed on.
// expect: caching/cache-aside 11-17 elim 4 "loaded (I/O or a callback) on a miss"
// expect: caching/cache-invalidate 22-22 elim 1 "a store this code fills on a miss"
export class TemplateStore {
  constructor(api) {
    this.api = api;
    this.cache = new Map();
  }

  async fetch(id) {
    const existing = this.cache.get(id);
    if (existing) return existing;
    const template = await this.api.get(`/templates/${id}`);
    this.cache.set(id, template);
    return template;
  }

  handleChange(data) {
    const template = this.cache.get(data.id);
    if (template) template.close();
    this.cache.delete(data.id);
  }
}
