// Look-alikes: an age held in a local that only throws (a deadline of the work), and one that
// only logs (a slow request), are not the expiry of a kept value.
// expect: none
interface Job {
  queuedAt: number;
  run(): void;
}

export function enqueue(job: Job): Job {
  job.queuedAt = Date.now();
  return job;
}

export function runJob(job: Job, limit: number): void {
  const overdue = Date.now() - job.queuedAt > limit;
  if (overdue) {
    throw new Error(`Job waited more than ${limit} ms; raise the limit or add workers.`);
  }
  job.run();
}

interface Request {
  receivedAt: number;
  path: string;
}

export function accept(req: Request): void {
  req.receivedAt = Date.now();
}

export function finish(req: Request, log: (line: string) => void): void {
  const slow = Date.now() - req.receivedAt > 1000;
  if (slow) {
    log(`slow request ${req.path}`);
  }
}
