"use strict";

const scale = { factor: 2 };

// The constructor that makes the WeakMap has a parameter of the name the method reads from the
// module: moved into the constructor, the compute would read the parameter.
class Measurer {
  constructor(scale) {
    this.custom = scale;
    this._widths = new WeakMap();
  }

  width(node) {
    const known = this._widths.get(node);
    if (known !== undefined) return known;
    const width = node.text.length * scale.factor;
    this._widths.set(node, width);
    return width;
  }
}

module.exports = Measurer;
