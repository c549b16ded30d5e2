// A cell index from a [row, column] pair is no time: no power of ten scales it.
// expect: none
function cellIndex(cell, width) {
  return cell[0] * width + cell[1];
}

module.exports = { cellIndex };
