// A value kept beside a flag that says it was computed: in a helper's closure, and on an object.
// expect: caching/memoize 8-12 elim 5 "records that the value was computed"
// expect: caching/memoize 25-31 elim 5 "records that the value was computed"
export const once = (compute) => {
  let done = false;
  let result;
  return () => {
    if (done) {
      return result;
    }
    result = compute();
    done = true;
    compute = undefined;
    return result;
  };
};

export class Snapshot {
  constructor(metric) {
    this.metric = metric;
    this.hasSummary = false;
    this.summary = undefined;
  }

  get() {
    if (!this.hasSummary) {
      this.summary = this.metric.summarize();
      this.hasSummary = true;
    }
    return this.summary;
  }
}
