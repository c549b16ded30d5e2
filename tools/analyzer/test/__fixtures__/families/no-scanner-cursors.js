// Two scanners each move a cursor of their own named `at`; neither counts running tasks.
// expect: none
function trailingDigits(out, limit) {
  let at = out.length;
  while (at > 0 && isDigit(out.charCodeAt(at - 1))) at--;
  if (at < limit) return 0;
  return out.length - at;
}

function depthAt(text, visit) {
  let at = 0;
  text.split("").forEach((ch) => {
    if (ch === "(") at++;
    if (ch === ")") at--;
    visit(ch, at);
  });
  return at;
}

function isDigit(code) {
  return code >= 48 && code <= 57;
}

module.exports = { trailingDigits, depthAt };
