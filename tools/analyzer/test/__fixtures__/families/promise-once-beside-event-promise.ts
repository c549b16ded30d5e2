// A query's promise made on first ask from its own end/error events: it only listens for an
// outcome already under way, nothing is started or computed once. The readiness probe below it is a
// one-time job; its field is declared far above, past the constructor, and is not part of its range.
// Draining once is a teardown's guard.
// expect: caching/promise-cache 40-48 elim 3 "one-time job"
import { EventEmitter } from "node:events";

export class Query extends EventEmitter {
  private promise: Promise<void> | undefined;

  result(): Promise<void> {
    if (this.promise) return this.promise;
    this.promise = new Promise((resolve, reject) => {
      this.once("end", resolve);
      this.once("error", reject);
    });
    return this.promise;
  }
}

export class Backend extends EventEmitter {
  private ready: Promise<void> | undefined;

  private closed = false;

  constructor(
    private readonly connect: () => Promise<void>,
    private readonly name: string,
  ) {
    super();
    this.on("close", () => {
      this.closed = true;
    });
  }

  isClosed(): boolean {
    return this.closed;
  }

  waitUntilReady(): Promise<void> {
    if (!this.ready) {
      this.ready = (async () => {
        await this.connect();
        this.emit("named", this.name);
      })();
    }
    return this.ready;
  }

  private drained: Promise<void> | undefined;

  // Drained once, however often asked: a teardown's run-once guard, not a cached result.
  drain(): Promise<void> {
    if (!this.drained) {
      this.drained = (async () => {
        await this.connect();
        this.emit("drained", this.name);
      })();
    }
    return this.drained;
  }
}
