// The reset of a memo another file fills on a miss (cross-file-memo-parts.js): the same access
// path emptied after hooks that may add parts. A field of `this` emptied under a name another file
// memoizes in (`this.schemaList`, two parts: another class's field) is not held for that memo.
// expect: caching/cache-invalidate 9-9 elim 1 "another file fills a store named `this.$state.options.__parts`"
function runHooks(next) {
  const work = this.allParts().map((part) => part.runHooks());
  return Promise.all(work).then(() => {
    if (this.$state.options) {
      this.$state.options.__parts = null;
    }
    next();
  });
}

class Listing {
  reset() {
    this.schemaList = null;
  }
}

module.exports = { runHooks, Listing };
