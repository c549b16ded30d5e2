// A login that routes transient failures to a retry method far below it: the failure path and
// the waiting method are reported apart, not as one range over the class between them.
// expect: response/retry-poll 14-19 elim 6 "on a failure"
// expect: response/retry-poll 79-85 elim 7 "waits and runs the attempt again"
export class Connection {
  private state = "idle";

  constructor(
    private readonly login: () => Promise<void>,
    private readonly retryMs: number,
  ) {}

  async connect(): Promise<void> {
    try {
      await this.login();
    } catch (err) {
      if (isTransient(err)) return await this.retryAfterFailure();
      throw err;
    }
    this.state = "open";
  }

  status0(): string {
    return this.state + "0";
  }

  status1(): string {
    return this.state + "1";
  }

  status2(): string {
    return this.state + "2";
  }

  status3(): string {
    return this.state + "3";
  }

  status4(): string {
    return this.state + "4";
  }

  status5(): string {
    return this.state + "5";
  }

  status6(): string {
    return this.state + "6";
  }

  status7(): string {
    return this.state + "7";
  }

  status8(): string {
    return this.state + "8";
  }

  status9(): string {
    return this.state + "9";
  }

  status10(): string {
    return this.state + "10";
  }

  status11(): string {
    return this.state + "11";
  }

  status12(): string {
    return this.state + "12";
  }

  status13(): string {
    return this.state + "13";
  }

  private async retryAfterFailure(): Promise<void> {
    this.state = "retrying";
    await new Promise<void>((resolve) => {
      setTimeout(resolve, this.retryMs);
    });
    await this.connect();
  }
}

function isTransient(err: unknown): boolean {
  return err instanceof Error && err.message.includes("transient");
}
