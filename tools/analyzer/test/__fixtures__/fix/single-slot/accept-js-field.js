class Chunk {
  constructor(id) {
    this.id = id;
    this._fileName = null;
  }

  getFileName() {
    if (this._fileName) return this._fileName;
    return (this._fileName = `${this.id}.js`);
  }

  rename(id) {
    this.id = id;
    this._fileName = null;
  }
}

module.exports = { Chunk };
