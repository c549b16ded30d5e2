// Jobs grouped per hash and module: a found job gets one more runtime, a new one is recorded. The
// entries are changed in place, nothing computed is reused.
// expect: none
interface Job {
  readonly module: string;
  readonly runtimes: string[];
}

export function planJobs(items: readonly { module: string; hash: string; runtime: string }[]): Job[] {
  const byHash = new Map<string, Map<string, Job>>();
  const jobs: Job[] = [];
  for (const { module, hash, runtime } of items) {
    let byModule = byHash.get(hash);
    if (byModule) {
      const found = byModule.get(module);
      if (found) {
        found.runtimes.push(runtime);
        continue;
      }
    } else {
      byModule = new Map();
      byHash.set(hash, byModule);
    }
    const job = { module, runtimes: [runtime] };
    byModule.set(module, job);
    jobs.push(job);
  }
  return jobs;
}
