// A module-level store declared far above the function that fills it on a miss: the declaration is
// a piece of the memo of its own (the labellers' "container" entry), apart from the flow's range.
// expect: caching/memoize 5-5 elim 1 "the store of the get-or-compute"
// expect: caching/memoize 29-37 elim 5 "computed on a miss"
const compiledRules = new Map();

function describe(rule) {
  return `${rule.name} (${rule.flags})`;
}

function sanitize(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function anchored(text) {
  return `^${text}$`;
}

function flagsOf(rule) {
  return rule.global ? "g" : "";
}

function check(rule) {
  if (typeof rule.pattern !== "string") {
    throw new TypeError(describe(rule));
  }
}

function ruleExpression(rule) {
  check(rule);
  let compiled = compiledRules.get(rule.pattern);
  if (compiled === undefined) {
    compiled = new RegExp(anchored(sanitize(rule.pattern)), flagsOf(rule));
    compiledRules.set(rule.pattern, compiled);
  }
  return compiled;
}

module.exports = { ruleExpression };
