// Near miss of pool-idle-timer-on-worker.js: a job's retry timer kept on the job removes it from
// the queue when it fires — no floor of a kept collection is checked: a retry, not idle expiry.
// expect: none
export class Jobs {
  constructor() {
    this.jobs = [];
  }

  fail(job, delay) {
    job.retryTimer = setTimeout(() => {
      this.removeJob(job);
      this.jobs.push({ ...job, attempts: job.attempts + 1 });
    }, delay);
  }

  removeJob(job) {
    this.jobs.splice(this.jobs.indexOf(job), 1);
  }
}
