// The first statement with side effects is remembered per parse; a bare `return` is a flag, not a memo.
// expect: none
function sideEffects(parser) {
  let first;
  parser.on("program", () => {
    first = undefined;
  });
  parser.on("statement", (statement) => {
    if (first) return;
    if (!statement.pure) first = statement;
  });
  parser.on("finish", () => parser.report(first));
}

module.exports = { sideEffects };
