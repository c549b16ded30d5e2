// A version parsed first and stored unless one is already known (the server's answer always wins);
// reset to null elsewhere. The value exists before the test, so nothing is saved: not a memo.
// expect: none
export class Dialect {
  applyVersion(versionString, source) {
    const { version } = parseVersion(versionString);
    if (!version) return this.assumeLatest();
    if (!this.version || source === "server") {
      this.version = version;
    }
    return this.version;
  }

  assumeLatest() {
    this.version = null;
    return this.version;
  }
}

function parseVersion(text) {
  const match = /^(\d+\.\d+)/.exec(text);
  return { version: match ? match[1] : undefined };
}
