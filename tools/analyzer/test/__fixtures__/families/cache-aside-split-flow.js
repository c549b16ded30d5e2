// A keyed get-or-compute split across two functions over one store: the lookup returns the hit and
// computes on a miss; the fill lives in another function (called on the miss, or another entry
// point). Each half is reported with its own lines; a module store whose fill another detector links
// already is left to it; a store handed to the function that fills it pairs by the parameter.
// expect: caching/cache-aside 16-20 elim 5 "reads `this.cacheController.roles` under a key and returns early"
// expect: caching/cache-aside 27-31 elim 5 "the fill of a lookup in another function"
// expect: caching/memoize 40-48 elim 5 "`prerender` writes `rendered.set(page, buffer || draw(page))`"
// expect: caching/cache-aside 54-55 elim 2 "reads `results` under a key and returns early"
// expect: caching/cache-aside 58-61 elim 4 "the fill of a lookup in another function"
// expect: caching/memoize 65-73 elim 4 "writes `cache.set(set, result)`"
// expect: caching/cache-aside 76-79 elim 4 "reads `cache` under a key and returns early"
export function Session() {}

Session.prototype.loadRoles = async function () {
  if (this.cacheController) {
    const cached = await this.cacheController.roles.get(this.user.id);
    if (cached != null) {
      this.roles = cached;
      return cached;
    }
  }
  this.roles = await this.queryRoles(this.user.id);
  this.keepRoles();
  return this.roles;
};

Session.prototype.keepRoles = function () {
  if (!this.cacheController) return false;
  this.cacheController.roles.put(this.user.id, Array.from(this.roles));
  return true;
};

const rendered = new WeakMap();

function draw(page) {
  return Buffer.from(JSON.stringify(page));
}

export function render(page) {
  const hit = rendered.get(page);
  if (hit) {
    return hit;
  }
  return draw(page);
}

export function prerender(page, buffer) {
  rendered.set(page, buffer || draw(page));
}

export function exchange(forward) {
  const results = new Map();
  const lookup = (operation) => {
    const known = results.get(operation.key);
    if (known !== undefined) return { ...known, stale: false };
    return forward(operation);
  };
  const receive = (response) => {
    const { operation } = response;
    if (operation.kind === "query") results.set(operation.key, structuredClone(response));
  };
  return { lookup, receive };
}

function fieldsOf(cache, set) {
  const known = cache.get(set);
  if (known) return known;
  const names = new Set();
  collect(set, names);
  const result = [set.kind, [...names]];
  cache.set(set, result);
  return result;
}

export function fragmentFields(cache, fragment) {
  const cached = cache.get(fragment.selectionSet);
  if (cached) {
    return cached;
  }
  const type = fragment.typeCondition.trim();
  return fieldsOf(cache, fragment.selectionSet, type);
}

function collect(set, names) {
  for (const s of set.selections) names.add(s.name);
}
