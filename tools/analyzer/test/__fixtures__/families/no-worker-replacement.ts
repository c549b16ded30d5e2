// Workers started up front; one that exits early may be replaced by a hook the user supplies. The
// replacement is handed out in an object, not run when a work item ends: no worker pool here, and
// the periodic sweep runs again after success and failure alike — a schedule, not a retry.
// expect: none
interface Worker {
  readonly done: Promise<void>;
}

export function startWorkers(
  make: () => Worker,
  count: number,
  onExit: (hooks: { replace: () => void }) => void,
): Worker[] {
  const workers: Worker[] = [];
  const create = (): void => {
    const worker = make();
    workers.push(worker);
    const replace = (): void => {
      create();
    };
    void worker.done.then(() => {
      workers.splice(workers.indexOf(worker), 1);
      onExit({ replace });
    });
  };
  for (let i = 0; i < count; i++) {
    create();
  }
  return workers;
}

export function sweepForever(sweep: () => Promise<void>, every: number): void {
  const run = (): void => {
    void sweep().then(
      () => {
        setTimeout(run, every);
      },
      () => {
        setTimeout(run, every);
      },
    );
  };
  setTimeout(run, every);
}
