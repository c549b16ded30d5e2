// Local sums worked out inside one call — in a helper nested in a module function, and in a
// callback of an iteration method on a computed list — then returned: arithmetic, not metrics.
// expect: none
function sampler(fs) {
  function diskTotals() {
    let read = 0;
    let written = 0;
    fs.readdirSync("/sys/block").forEach((device) => {
      const fields = fs.readFileSync(`/sys/block/${device}/stat`, "utf8").split(" ");
      read += (parseInt(fields[2], 10) || 0) * 512;
      written += (parseInt(fields[6], 10) || 0) * 512;
    });
    return { read, written };
  }
  return { sample: () => diskTotals() };
}

function display(data) {
  let total = 0;
  const rows = Object.keys(data).map((key) => {
    total += data[key];
    return [key, data[key]];
  });
  return { rows, total };
}

module.exports = { sampler, display };
