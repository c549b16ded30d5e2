// A long job run whose catch hands the failure to a long retry method right beside it: each
// gets its own range; one range over both would cover the whole job run.
// expect: response/retry-poll 14-58 elim 45 "on a failure"
// expect: response/retry-poll 61-107 elim 47 "waits and runs the attempt again"
export class Job {
  readonly log: string[] = [];

  constructor(
    private readonly work: () => Promise<void>,
    private readonly retryMs: number,
  ) {}

  async run(): Promise<void> {
    try {
    this.log.push("step 0");
    this.log.push("step 1");
    this.log.push("step 2");
    this.log.push("step 3");
    this.log.push("step 4");
    this.log.push("step 5");
    this.log.push("step 6");
    this.log.push("step 7");
    this.log.push("step 8");
    this.log.push("step 9");
    this.log.push("step 10");
    this.log.push("step 11");
    this.log.push("step 12");
    this.log.push("step 13");
    this.log.push("step 14");
    this.log.push("step 15");
    this.log.push("step 16");
    this.log.push("step 17");
    this.log.push("step 18");
    this.log.push("step 19");
    this.log.push("step 20");
    this.log.push("step 21");
    this.log.push("step 22");
    this.log.push("step 23");
    this.log.push("step 24");
    this.log.push("step 25");
    this.log.push("step 26");
    this.log.push("step 27");
    this.log.push("step 28");
    this.log.push("step 29");
    this.log.push("step 30");
    this.log.push("step 31");
    this.log.push("step 32");
    this.log.push("step 33");
    this.log.push("step 34");
    this.log.push("step 35");
    this.log.push("step 36");
    this.log.push("step 37");
    this.log.push("step 38");
    this.log.push("step 39");
      await this.work();
    } catch (error) {
      await this.retryLater(error as Error);
    }
  }

  private async retryLater(error: Error): Promise<void> {
    this.log.push(error.message);
    this.log.push("note 0");
    this.log.push("note 1");
    this.log.push("note 2");
    this.log.push("note 3");
    this.log.push("note 4");
    this.log.push("note 5");
    this.log.push("note 6");
    this.log.push("note 7");
    this.log.push("note 8");
    this.log.push("note 9");
    this.log.push("note 10");
    this.log.push("note 11");
    this.log.push("note 12");
    this.log.push("note 13");
    this.log.push("note 14");
    this.log.push("note 15");
    this.log.push("note 16");
    this.log.push("note 17");
    this.log.push("note 18");
    this.log.push("note 19");
    this.log.push("note 20");
    this.log.push("note 21");
    this.log.push("note 22");
    this.log.push("note 23");
    this.log.push("note 24");
    this.log.push("note 25");
    this.log.push("note 26");
    this.log.push("note 27");
    this.log.push("note 28");
    this.log.push("note 29");
    this.log.push("note 30");
    this.log.push("note 31");
    this.log.push("note 32");
    this.log.push("note 33");
    this.log.push("note 34");
    this.log.push("note 35");
    this.log.push("note 36");
    this.log.push("note 37");
    this.log.push("note 38");
    this.log.push("note 39");
    await new Promise<void>((resolve) => {
      setTimeout(resolve, this.retryMs);
    });
    await this.run();
  }
}
