// A member store filled by a read-through through another method, and the event handler that
// drops an entry when the remote side says it changed: the fill is found by the read-through.
// expect: caching/cache-aside 11-14 elim 4 "hands the value to `this._remember`, which writes `this.known`"
// expect: caching/cache-invalidate 22-22 elim 1 "a caching finding of this file fills it"
export class AccountDirectory {
  constructor(client) {
    this.client = client;
    this.known = new Map();
  }
  async find(id) {
    const hit = this.known.get(id);
    if (hit) return hit;
    const payload = await this.client.request(`/accounts/${id}`);
    return this._remember(id, payload);
  }
  _remember(id, account) {
    this.known.set(id, account);
    return account;
  }
  onRemoteChange(event) {
    this.client.log(`account ${event.id} changed`);
    this.known.delete(event.id);
  }
}
