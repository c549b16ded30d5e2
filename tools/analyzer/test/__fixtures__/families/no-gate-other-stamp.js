// A job is aborted once it has run past its budget; the abort does not stamp the start (only
// `start` does): a budget check, not a gate that lets a call through at most once per interval.
// expect: none
export class Job {
  constructor(work, budgetMs) {
    this.work = work;
    this.budgetMs = budgetMs;
    this.startedAt = 0;
  }

  start() {
    this.startedAt = Date.now();
    this.work.begin();
  }

  check() {
    if (this.startedAt + this.budgetMs < Date.now()) this.abort();
  }

  abort() {
    this.work.cancel();
  }
}
