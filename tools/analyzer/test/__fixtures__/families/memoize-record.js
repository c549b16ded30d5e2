// A parse result kept under a constant key: two lists are built on the miss and stored as a record.
// expect: caching/memoize 10-22 elim 5 "computed on a miss"
export class Comments {
  constructor(comments) {
    this.comments = comments;
    this.memo = new Map();
  }

  directives() {
    const cached = this.memo.get("directives");
    if (cached) {
      return cached;
    }
    const problems = [];
    const directives = [];
    for (const comment of this.comments) {
      if (!comment.text.startsWith("eslint")) continue;
      if (comment.text.includes("\n")) problems.push({ message: "spans lines", comment });
      else directives.push(comment.text.slice("eslint-".length));
    }
    const result = { problems, directives };
    this.memo.set("directives", result);
    return result;
  }
}
