// A store replaced by a fresh one of its own class drops every entry; created in a function-style constructor, it does not.
// expect: caching/memoize 15-21 elim 4 "computed on a miss"
// expect: caching/cache-invalidate 23-26 elim 4 "a store this code fills on a miss"
class Fifo {
  constructor(size) {
    this.size = size;
    this.items = new Map();
  }
}

function Parsers(size) {
  this.cache = new Fifo(size);
}

Parsers.prototype.find = function (type) {
  const known = this.cache.get(type);
  if (known !== undefined) return known;
  const parser = type.split(";")[0].trim().toLowerCase();
  this.cache.set(type, parser);
  return parser;
};

Parsers.prototype.removeAll = function () {
  this.extra = [];
  this.cache = new Fifo(100);
};
