// Classes of a file counted and checked against the rule's maximum, quoted in the problem it
// reports: a count of the data under a rule, not a metric.
// expect: none
function create(context) {
  const max = context.options[0] ?? 1;
  let classCount = 0;
  return {
    Program() {
      classCount = 0;
    },
    "Program:exit"(node) {
      if (classCount > max) {
        context.report({ node, messageId: "maximumExceeded", data: { classCount, max } });
      }
    },
    ClassDeclaration() {
      classCount++;
    },
  };
}

module.exports = { create };
