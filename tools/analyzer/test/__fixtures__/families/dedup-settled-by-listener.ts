// One request per property in flight: the entry is removed by the reply listener that settles the
// promise, and by the send's `.catch` when sending fails — removed on success too, so concurrent
// callers share it only while it runs (dedup), unlike a map emptied only on failure (a cache).
// expect: response/dedup 13-31 elim 3 "removed when it settles"
interface Child {
  on(event: "message", listener: (message: { prop: string; value: unknown }) => void): void;
  off(event: "message", listener: (message: { prop: string; value: unknown }) => void): void;
  send(message: { prop: string }): Promise<void>;
}
export class Worker {
  private readonly fetches = new Map<string, Promise<unknown>>();
  constructor(private readonly child: Child) {}
  fetch(prop: string): Promise<unknown> {
    if (this.fetches.has(prop)) return this.fetches.get(prop) as Promise<unknown>;
    const promise = new Promise((resolve, reject) => {
      const listener = (message: { prop: string; value: unknown }): void => {
        if (message.prop !== prop) return;
        this.child.off("message", listener);
        this.fetches.delete(prop);
        resolve(message.value);
      };
      this.child.on("message", listener);
      this.child.send({ prop }).catch((error: unknown) => {
        this.child.off("message", listener);
        this.fetches.delete(prop);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
    this.fetches.set(prop, promise);
    return promise;
  }
}
