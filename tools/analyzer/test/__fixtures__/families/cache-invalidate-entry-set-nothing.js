// A keyed holder keeping a login promise under a name; `reset()` sets the entry to nothing.
// expect: caching/memoize 10-18 elim 6 "computed on a miss"
// expect: caching/cache-invalidate 21-21 elim 1 "a store this code fills on a miss"
class Session {
  constructor(settings, login) {
    this.settings = settings;
    this.login = login;
  }

  ensure() {
    let pending = this.settings.get("login");
    if (pending) {
      return pending;
    }
    pending = this.login();
    this.settings.set("login", pending);
    return pending;
  }

  reset() {
    this.settings.set("login", null);
    return this;
  }
}
module.exports = { Session };
