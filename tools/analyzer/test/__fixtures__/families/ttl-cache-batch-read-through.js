// Entries kept with an expiry: fresh ones served, the rest fetched together and stored again.
// expect: caching/ttl-cache 9-24 elim 16 "loads them in one awaited call"
const profiles = {};
const TTL = 60_000;

async function profilesFor(ids, fetchProfiles) {
  const now = Date.now();
  const found = [];
  const stale = [];
  ids.forEach((id) => {
    const entry = profiles[id];
    if (entry && entry.expires > now) {
      found.push(entry.profile);
    } else {
      stale.push(id);
    }
  });
  if (stale.length > 0) {
    const fetched = await fetchProfiles(stale);
    fetched.forEach((profile) => {
      profiles[profile.id] = { profile, expires: now + TTL };
      found.push(profile);
    });
  }
  return found;
}

module.exports = { profilesFor };
