// Results kept in a map behind a symbol-keyed field, under constant keys.
// expect: caching/memoize 11-19 elim 6 "computed on a miss"
const caches = Symbol("caches");

export class SourceCode {
  constructor(text) {
    this.text = text;
    this[caches] = new Map();
  }

  commentLines() {
    let lines = this[caches].get("commentLines");
    if (lines) {
      return lines;
    }
    lines = this.text.split("\n").filter((line) => line.trimStart().startsWith("//"));
    this[caches].set("commentLines", lines);
    return lines;
  }
}
