// Concurrent prepares of one query share the request in flight: the first call keeps an emitter
// under the query, later calls listen on it, and the reply's callback deletes the entry; requests
// join a pending handler whose completion callback deletes it.
// expect: response/dedup 25-36 elim 7 "deleted when the work completes"
// expect: response/dedup 44-53 elim 8 "deleted when the work completes"
import { EventEmitter } from "node:events";

type Reply = (err: Error | null, id?: string) => void;

class Handler {
  constructor(
    readonly first: Reply,
    readonly onDone: () => void,
  ) {}
  addWaiting(_reply: Reply): boolean {
    return true;
  }
}

export class Connection {
  private readonly preparing = new Map<string, EventEmitter>();
  constructor(private readonly send: (query: string, done: Reply) => void) {}

  prepareOnce(query: string, callback: Reply): void {
    let info = this.preparing.get(query);
    if (info) {
      info.once("prepared", callback);
      return;
    }
    info = new EventEmitter();
    info.once("prepared", callback);
    this.preparing.set(query, info);
    const pending = info;
    this.send(query, (err, id) => {
      pending.emit("prepared", err, id);
      this.preparing.delete(query);
    });
  }
}

export function deduplicate(dispatch: (key: string, handler: Handler | Reply) => void) {
  const pendingRequests = new Map<string, Handler>();
  return (key: string, reply: Reply): void => {
    const pendingHandler = pendingRequests.get(key);
    if (pendingHandler) {
      if (pendingHandler.addWaiting(reply)) return;
      dispatch(key, reply);
      return;
    }
    const handler = new Handler(reply, () => {
      pendingRequests.delete(key);
    });
    pendingRequests.set(key, handler);
    dispatch(key, handler);
  };
}
