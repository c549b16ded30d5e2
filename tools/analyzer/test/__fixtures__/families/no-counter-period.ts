// Intervals profiled since the last upload: compared with the number of intervals a flush period
// holds and zeroed when it gets there (a schedule the profiler runs on); the getter hands the
// schedule's position out to tests, it reports no work.
// expect: none
export class ServerlessProfiler {
  #profiled = 0;
  #flushAfter = 65;

  constructor(
    private readonly upload: () => Promise<void>,
    private readonly capture: () => void,
  ) {}

  get profiledIntervals(): number {
    return this.#profiled;
  }

  async collect(restart = true): Promise<void> {
    if (this.#profiled >= this.#flushAfter || !restart) {
      this.#profiled = 0;
      await this.upload();
    } else {
      this.#profiled += 1;
      this.capture();
    }
  }
}
