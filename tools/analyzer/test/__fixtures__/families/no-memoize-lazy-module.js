// Lazy module loading: a compressor made from modules required on first use, guarded by a flag.
// It is kept so the modules load once and only when needed — not a value worked out from inputs.
// expect: none
export class Uploader {
  constructor(options) {
    this.options = options;
    this.compressInitialized = false;
    this.compressFn = undefined;
  }

  getCompressFn() {
    if (!this.compressInitialized) {
      this.compressInitialized = true;
      const { promisify } = require("util");
      const zlib = require("zlib");
      this.compressFn = promisify(zlib.gzip);
    }
    return this.compressFn;
  }
}
