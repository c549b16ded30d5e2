// Get-or-compute over a store's own API: an awaited read whose answer is served on a hit, and on
// a miss a value taken from what the miss loaded, written back with the store's own write method
// under the same key (`put`), or stored from the result a `.then` hands over.
// expect: caching/cache-aside 7-18 elim 5 "writes `sessions.users.put(token, user)` on a miss"
// expect: caching/cache-aside 24-30 elim 5 "writes `this.cache.set(token, id)` on a miss"
async function userForToken(sessions, token, query) {
  const known = await sessions.users.get(token);
  if (known) {
    return known;
  }
  const results = await query("sessions", { token });
  if (results.length !== 1) {
    throw new Error("Invalid session token");
  }
  const session = results[0];
  const user = session.user;
  delete user.password;
  sessions.users.put(token, user);
  return user;
}

class TokenCache {
  userId(token, load) {
    const userId = this.cache.get(token);
    if (userId) {
      return Promise.resolve(userId);
    }
    return load(token).then((user) => {
      const id = user.id;
      this.cache.set(token, id);
      return id;
    });
  }
}

module.exports = { userForToken, TokenCache };
