// A CommonJS class never declares its mark: until the mark is set, the elapsed time was NaN.
"use strict";

class Upload {
  begin() {
    this._startTime = Date.now();
  }

  end(log) {
    log.info(`upload took ${Date.now() - this._startTime} ms`);
  }
}

module.exports = { Upload };
