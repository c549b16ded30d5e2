// A connection kept per host and dropped when the socket closes is a registry (an event
// subscription, not the end of one piece of work); an entry dropped by a timer is an expiry; an
// index whose entries a later promise step deletes holds data, not work in flight.
// expect: none
import { EventEmitter } from "node:events";

export class Connections {
  private readonly byHost = new Map<string, EventEmitter>();

  get(host: string): EventEmitter {
    let socket = this.byHost.get(host);
    if (socket) return socket;
    socket = new EventEmitter();
    this.byHost.set(host, socket);
    socket.on("close", () => {
      this.byHost.delete(host);
    });
    return socket;
  }
}

export class Recent {
  private readonly seen = new Map<string, object>();

  remember(key: string): object {
    let entry = this.seen.get(key);
    if (entry) return entry;
    entry = { key };
    this.seen.set(key, entry);
    setTimeout(() => {
      this.seen.delete(key);
    }, 1000);
    return entry;
  }
}

export class FileIndex {
  private readonly files = new Map<string, { mtime: number }>();

  touch(path: string, mtime: number, removed: Promise<boolean>): void {
    const known = this.files.get(path);
    if (known && known.mtime === mtime) return;
    const entry = { mtime };
    this.files.set(path, entry);
    void removed.then((gone) => {
      if (gone) this.files.delete(path);
    });
  }
}
