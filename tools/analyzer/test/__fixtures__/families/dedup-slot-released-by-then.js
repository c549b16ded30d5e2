// The schema load in flight is handed to every caller; a statement of its own deletes it when the
// load settles, either way: that statement is the release.
// expect: response/dedup 6-13 elim 8 "emptied when it settles"
export class Controller {
  loadSchema(load, options) {
    if (this.schemaPromise != null) {
      return this.schemaPromise;
    }
    this.schemaPromise = load(options);
    this.schemaPromise.then(
      () => delete this.schemaPromise,
      () => delete this.schemaPromise,
    );
    return this.loadSchema(load, options);
  }
}
