// The time left of a budget (`budget - elapsed`, `deadline - now`): deadline arithmetic that
// bounds work, not a measurement of it.
// expect: none
export class Job {
  private startedAt = 0;

  constructor(private readonly budgetMs: number) {}

  start(): void {
    this.startedAt = Date.now();
  }

  remaining(): number {
    return this.budgetMs - (Date.now() - this.startedAt);
  }
}

export class Request {
  private readonly deadline: number;

  constructor(timeoutMs: number) {
    this.deadline = Date.now() + timeoutMs;
  }

  remaining(): number {
    return Math.max(0, this.deadline - Date.now());
  }
}
