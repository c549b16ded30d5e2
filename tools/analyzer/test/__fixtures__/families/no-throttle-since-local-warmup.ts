// A warm-up period: the time since start is kept in a local and compared before the work, but the
// mark is stamped once when the object starts — nothing the call runs stamps it again, so calls
// are not spaced out.
// expect: none
export class Sampler {
  private readonly startedAt = Date.now();
  private samples: number[] = [];

  record(value: number): void {
    const since = Date.now() - this.startedAt;
    if (since < 5_000) {
      return;
    }
    this.samples.push(value);
  }
}
