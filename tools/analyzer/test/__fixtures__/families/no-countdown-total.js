// Compilers report done; when the count of done ones equals the number of compilers, all are
// done. A countdown to "all done", not a bound on how many run at once.
// expect: none
function watchAll(compilers, onAllDone) {
  if (compilers.length < 1) return;
  let doneCompilers = 0;
  for (const compiler of compilers) {
    let compilerDone = false;
    compiler.on("done", () => {
      if (!compilerDone) {
        compilerDone = true;
        doneCompilers++;
      }
      if (doneCompilers === compilers.length) onAllDone();
    });
    compiler.on("invalid", () => {
      if (compilerDone) {
        compilerDone = false;
        doneCompilers--;
      }
    });
  }
}

module.exports = { watchAll };
