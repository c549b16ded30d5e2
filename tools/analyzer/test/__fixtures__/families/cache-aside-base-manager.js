// A base class whose `_insert` writes the member store with what it is handed: the subclasses'
// read-throughs (cache-aside-member-read-through.js) fill the store through it.
// expect: none
export class BaseRegistry {
  constructor(client) {
    this.client = client;
    this.entries = new Map();
  }

  _insert(payload, keep = true) {
    const found = this.entries.get(payload.id);
    if (found) return found;
    const entry = { ...payload, client: this.client };
    if (keep) this.entries.set(entry.id, entry);
    return entry;
  }
}
