// A list worked out on first use and kept in `this.schemaList`: a memo of this file. Another
// file (cross-file-memo-reset.js) sets a `this.schemaList` of its own class to null; a field of
// `this` (two parts) names no store across files, so that reset stays silent.
// expect: caching/memoize 6-10 elim 3 "`this.schemaList` returned when set"
class Catalog {
  schemas() {
    if (this.schemaList) return this.schemaList;
    this.schemaList = this.tables.map((table) => table.schema);
    return this.schemaList;
  }
}

module.exports = { Catalog };
