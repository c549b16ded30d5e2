// Concurrent callers asking a worker for its memory share one request; the reply handler
// settles it and empties the slot, so the next call asks again.
// expect: response/dedup 14-22 elim 7 "pending promise kept in `this.pending`"
interface Port {
  postMessage(message: string): void;
}

export class WorkerHandle {
  private pending: Promise<number> | undefined;
  private resolvePending: ((value: number) => void) | undefined;

  constructor(private readonly port: Port) {}

  memoryUsage(): Promise<number> {
    if (!this.pending) {
      this.pending = new Promise<number>((resolve) => {
        this.resolvePending = resolve;
      });
      this.port.postMessage("memory");
    }
    return this.pending;
  }

  onReply(bytes: number): void {
    this.resolvePending?.(bytes);
    this.resolvePending = undefined;
    this.pending = undefined;
  }
}
