// Branches counted per function on a stack while a tree is walked: a rule's measurement of the
// code it reads, not a runtime metric.
// expect: none
function branchCounter(report) {
  const stack = [];
  return {
    enter() {
      stack.push(1);
    },
    branch() {
      stack[stack.length - 1]++;
    },
    exit(name) {
      const count = stack.pop();
      if (count > 10) report({ name, count });
    },
  };
}

module.exports = { branchCounter };
