// A memo kept on a nested options object: the part list is worked out once per save and handed
// out; another file (cross-file-memo-reset.js) empties it. Reported here as the memo; the reset
// there only because this file fills the same access path on a miss.
// expect: caching/memoize 7-14 elim 4 "`this.$state.options.__parts` returned when set"
class Doc {
  allParts() {
    if (this.$state.options.__parts) {
      return this.$state.options.__parts;
    }
    const parts = [];
    for (const child of this.children) {
      parts.push(...child.allParts(), child);
    }
    this.$state.options.__parts = parts;
    return parts;
  }
}

module.exports = { Doc };
