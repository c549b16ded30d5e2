// A printer's column advanced by each token's length and wrapped past the line width: a position
// on a line, not a size kept against a memory bound.
// expect: none
export class Printer {
  constructor(out, maxWidth) {
    this.out = out;
    this.maxWidth = maxWidth;
    this._column = 0;
  }

  print(token) {
    const tokenLength = token.length;
    this._column += tokenLength;
    if (this._column > this.maxWidth) {
      this.out.write("\n");
      this._column = tokenLength;
    }
    this.out.write(token);
  }
}
