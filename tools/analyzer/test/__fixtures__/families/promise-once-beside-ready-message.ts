// A worker's first message awaited once: the promise only listens (each listener settles it and
// may log), nothing is started or computed. The probe below posts a request to the worker and
// keeps the promise of its answer: a one-time job handed to every later caller.
// expect: caching/promise-cache 38-51 elim 5 "one-time job"
interface Reply {
  readonly ok: boolean;
  readonly version?: string;
}

export class WorkerChannel {
  private readyPromise: Promise<void> | undefined;

  private versionPromise: Promise<string> | undefined;

  constructor(
    private readonly worker: Worker,
    private readonly log: { warn(message: string): void },
  ) {}

  ensureReady(): Promise<void> {
    if (this.readyPromise) {
      return this.readyPromise;
    }
    this.readyPromise = new Promise((resolve, reject) => {
      this.worker.addEventListener(
        "message",
        ({ data }: MessageEvent<Reply>) => (data.ok ? resolve() : reject(new Error("not ready"))),
        { once: true },
      );
      this.worker.addEventListener("error", () => {
        this.log.warn("worker failed to load");
        reject(new Error("worker failed to load"));
      });
    });
    return this.readyPromise;
  }

  version(): Promise<string> {
    if (this.versionPromise) {
      return this.versionPromise;
    }
    this.versionPromise = new Promise((resolve, reject) => {
      this.worker.postMessage({ method: "version" });
      this.worker.addEventListener(
        "message",
        ({ data }: MessageEvent<Reply>) => (data.ok ? resolve(data.version ?? "") : reject()),
        { once: true },
      );
    });
    return this.versionPromise;
  }
}
